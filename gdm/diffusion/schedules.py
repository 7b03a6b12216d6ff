"""Discrete forward processes q(x_t | x_{t-1}) = N(sqrt(1 - beta_t) x_{t-1}, beta_t I).

Timesteps are 0-based array indices: index i is the paper's t = i + 1, so index 0 is the last
denoising step, whose decoder gives x_0. Every coefficient is computed in float64 with numpy
and stored as float32 (alpha_bar near 1 loses digits in float32 cumulative products).

  linear  beta from beta_start to beta_end (Ho et al., 2020: 1e-4 to 0.02, T = 1000)
  cosine  alpha_bar(t) = cos^2(((t/T + s) / (1 + s)) pi / 2), betas clipped at 0.999
          (Nichol & Dhariwal, 2021, s = 0.008)
"""
import dataclasses
import math

import jax
import jax.numpy as jnp
import numpy as np

from gdm.utils.checks import check_choice

SCHEDULES = ('linear', 'cosine')


def make_betas(name: str, num_timesteps: int, beta_start: float = 1e-4,
               beta_end: float = 0.02) -> np.ndarray:
  check_choice(name, SCHEDULES, 'beta schedule')
  if num_timesteps < 1:
    raise ValueError(f'num_timesteps={num_timesteps} must be >= 1')
  if name == 'linear':
    if not 0 < beta_start <= beta_end < 1:
      raise ValueError(f'beta_start={beta_start}, beta_end={beta_end}: need '
                       '0 < beta_start <= beta_end < 1')
    # Scaled by 1000 / T so that any T spans the same total noise as T = 1000 (as in
    # Improved DDPM); T = 1000 gives exactly 1e-4 .. 0.02.
    scale = 1000.0 / num_timesteps
    return np.linspace(scale * beta_start, min(scale * beta_end, 0.999), num_timesteps)
  s = 0.008
  f = np.cos((np.arange(num_timesteps + 1) / num_timesteps + s) / (1 + s) * math.pi / 2) ** 2
  return np.clip(1 - f[1:] / f[:-1], 0.0, 0.999)


@dataclasses.dataclass(frozen=True)
class Schedule:
  """Per-timestep coefficients, each a float32 array [T]."""
  betas: jax.Array
  alpha_bar: jax.Array          # prod_{s <= t} (1 - beta_s)
  alpha_bar_prev: jax.Array     # alpha_bar[t - 1], 1 at t = 0
  posterior_variance: jax.Array  # beta~_t = beta_t (1 - alpha_bar_{t-1}) / (1 - alpha_bar_t)
  posterior_log_variance: jax.Array  # log beta~_t with beta~_0 replaced by beta~_1 (it is 0)
  posterior_coef_x0: jax.Array  # mean of q(x_{t-1} | x_t, x_0) = coef_x0 x_0 + coef_xt x_t
  posterior_coef_xt: jax.Array

  @property
  def num_timesteps(self) -> int:
    return self.betas.shape[0]


def make_schedule(name: str, num_timesteps: int, beta_start: float = 1e-4,
                  beta_end: float = 0.02) -> Schedule:
  betas = make_betas(name, num_timesteps, beta_start, beta_end)
  alphas = 1.0 - betas
  ab = np.cumprod(alphas)
  ab_prev = np.append(1.0, ab[:-1])
  post_var = betas * (1 - ab_prev) / (1 - ab)
  post_log_var = np.log(np.append(post_var[1], post_var[1:])) if num_timesteps > 1 else (
      np.log(betas))
  f32 = lambda a: jnp.asarray(a, jnp.float32)   # noqa: E731
  return Schedule(
      betas=f32(betas), alpha_bar=f32(ab), alpha_bar_prev=f32(ab_prev),
      posterior_variance=f32(post_var), posterior_log_variance=f32(post_log_var),
      posterior_coef_x0=f32(betas * np.sqrt(ab_prev) / (1 - ab)),
      posterior_coef_xt=f32((1 - ab_prev) * np.sqrt(alphas) / (1 - ab)))


def _at(values: jax.Array, t: jax.Array, x: jax.Array) -> jax.Array:
  """values[t] shaped to broadcast against x [B, ...] (t a scalar or [B])."""
  v = values[t]
  return v.reshape(v.shape + (1,) * (x.ndim - v.ndim))


def marginal(s: Schedule, t: jax.Array, x: jax.Array) -> tuple[jax.Array, jax.Array]:
  """(a, sigma) of q(x_t | x_0) = N(a x_0, sigma^2 I), broadcastable against x."""
  ab = _at(s.alpha_bar, t, x)
  return jnp.sqrt(ab), jnp.sqrt(1.0 - ab)


def q_sample(s: Schedule, x0: jax.Array, t: jax.Array, noise: jax.Array) -> jax.Array:
  a, sigma = marginal(s, t, x0)
  return a * x0 + sigma * noise


def posterior(s: Schedule, x0: jax.Array, xt: jax.Array, t: jax.Array):
  """Mean, variance and (clipped) log variance of q(x_{t-1} | x_t, x_0)."""
  mean = _at(s.posterior_coef_x0, t, xt) * x0 + _at(s.posterior_coef_xt, t, xt) * xt
  return mean, _at(s.posterior_variance, t, xt), _at(s.posterior_log_variance, t, xt)


def noise_level_index(s: Schedule, sigma: float) -> int:
  """The timestep whose x_t / sqrt(alpha_bar_t) = x_0 + sigma' eps has sigma' closest to
  `sigma` (for denoising an input with known noise: start the reverse chain there)."""
  ab = np.asarray(s.alpha_bar, np.float64)
  return int(np.argmin(np.abs(np.sqrt((1 - ab) / ab) - sigma)))


VARIANCES = ('fixed_large', 'fixed_small', 'learned_range')


def reverse_log_variance(s: Schedule, t: jax.Array, x: jax.Array, kind: str,
                         v: jax.Array | None = None) -> jax.Array:
  """log of the variance of p(x_{t-1} | x_t), broadcastable against x.

  fixed_large   beta_t (with beta~_1 at t = 0, as in Ho et al.'s code): the upper end,
                optimal for x_0 ~ N(0, I)
  fixed_small   beta~_t: the lower end, optimal for a deterministic x_0
  learned_range exp(u log beta_t + (1 - u) log beta~_t) with u = (v + 1) / 2 from the
                network (Nichol & Dhariwal, 2021, eq. 15)
  """
  check_choice(kind, VARIANCES, 'reverse variance')
  small = _at(s.posterior_log_variance, t, x)
  large = _at(jnp.log(jnp.concatenate([s.posterior_variance[1:2], s.betas[1:]]))
              if s.num_timesteps > 1 else jnp.log(s.betas), t, x)
  if kind == 'fixed_small':
    return jnp.broadcast_to(small, x.shape)
  if kind == 'fixed_large':
    return jnp.broadcast_to(large, x.shape)
  u = (v.astype(jnp.float32) + 1) / 2
  return u * large + (1 - u) * small
