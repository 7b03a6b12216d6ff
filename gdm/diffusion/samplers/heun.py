"""EDM's sampler (Karras et al., 2022, Algorithm 2): Heun's 2nd-order method on the
probability-flow ODE dx/dsigma = (x - D(x; sigma)) / sigma, with optional stochastic churn.
denoiser(x, sigma [B]) -> D, the model's estimate of x_0.

  karras_sigmas   the rho-spaced grid sigma_i = (smax^(1/rho) + i/(N-1) (smin^(1/rho) -
                  smax^(1/rho)))^rho, i < N, and sigma_N = 0 (eq. 5)
  heun            N steps, 2N - 1 denoiser calls (no correction on the last step, into sigma
                  = 0): 18 steps are the paper's 35 NFE. Churn raises sigma_i to
                  sigma_i (1 + gamma_i), gamma_i = min(S_churn / N, sqrt(2) - 1) where
                  S_min <= sigma_i <= S_max, adding noise of std S_noise sqrt(t_hat^2 -
                  sigma_i^2); S_churn = 0 is the deterministic sampler.
The 2N - 1 calls run as one lax.scan over stages (a predictor stage per step, a corrector
stage per step but the last) with a single denoiser call in its body, so the network is
compiled once and called exactly 2N - 1 times. `run_heun` is its SAMPLERS entry: it asks the
process for its grid (`sigma_steps(N)`).
"""
import math
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from gdm.utils.schema import require, section


@section
class HeunOptions:
  s_churn: float = 0.0          # 0 = deterministic
  s_min: float = 0.0            # churn only where s_min <= sigma_i <= s_max
  s_max: float = 1e30           # EDM's S_tmax = inf; finite so that config.json stays JSON
  s_noise: float = 1.0          # std of the churn noise, relative

  def __post_init__(self):
    require(self.s_churn >= 0, 's_churn', self.s_churn, 'must be >= 0 (0 = deterministic)')
    require(0 <= self.s_min <= self.s_max, 's_min', self.s_min,
            f'must be in [0, s_max={self.s_max}]')
    require(self.s_noise >= 0, 's_noise', self.s_noise, 'must be >= 0')


def karras_sigmas(num_steps: int, sigma_min: float, sigma_max: float,
                  rho: float) -> np.ndarray:
  """[N + 1] noise levels from sigma_max down to sigma_min, then 0 (float64). One step is a
  single Euler step from sigma_max (where the formula would divide by N - 1 = 0)."""
  if num_steps < 1 or not 0 < sigma_min < sigma_max or rho <= 0:
    raise ValueError(f'karras_sigmas: need num_steps >= 1, 0 < sigma_min < sigma_max and '
                     f'rho > 0; got {num_steps}, {sigma_min}, {sigma_max}, {rho}')
  frac = np.arange(num_steps) / max(num_steps - 1, 1)
  lo, hi = sigma_min ** (1 / rho), sigma_max ** (1 / rho)
  return np.append((hi + frac * (lo - hi)) ** rho, 0.0)


def churn_gammas(sigmas: np.ndarray, options: HeunOptions) -> np.ndarray:
  """gamma_i of every step (Algorithm 2)."""
  n = len(sigmas) - 1
  t = sigmas[:-1]
  inside = (options.s_min <= t) & (t <= options.s_max)
  return np.where(inside, min(options.s_churn / n, math.sqrt(2) - 1), 0.0)


def heun(key: jax.Array, denoiser: Callable, x_init: jax.Array, sigmas: np.ndarray,
         gammas: np.ndarray | None = None, s_noise: float = 1.0) -> jax.Array:
  """Algorithm 2 from x_init ~ N(0, sigmas[0]^2 I) down the grid `sigmas` (ending in 0)."""
  sigmas = np.asarray(sigmas, np.float64)
  n = len(sigmas) - 1
  gammas = np.zeros(n) if gammas is None else np.asarray(gammas, np.float64)
  t_cur, t_next = sigmas[:-1], sigmas[1:]
  t_hat = t_cur * (1 + gammas)
  churn = np.sqrt(t_hat ** 2 - t_cur ** 2) * s_noise
  # Stages: (step i, corrector?) = (0, no), (0, yes), (1, no), ..., (N-1, no).
  step = np.repeat(np.arange(n), 2)[:-1]
  corrector = np.tile([False, True], n)[:-1]
  f32 = lambda a: jnp.asarray(a, jnp.float32)   # noqa: E731
  stages = dict(step=jnp.asarray(step), corrector=jnp.asarray(corrector),
                sigma=f32(np.where(corrector, t_next[step], t_hat[step])),
                h=f32(t_next[step] - t_hat[step]), churn=f32(np.where(corrector, 0, churn[step])))

  def body(carry, s):
    # x: x_i before a predictor stage, Euler's x_{i+1} before a corrector.
    x, x_hat, d = carry
    eps = jax.random.normal(jax.random.fold_in(key, s['step']), x.shape)
    x_in = jnp.where(s['corrector'], x, x + s['churn'] * eps)
    d_new = (x_in - denoiser(x_in, jnp.full((x.shape[0],), s['sigma']))) / s['sigma']
    euler = x_in + s['h'] * d_new
    heun_step = x_hat + s['h'] * 0.5 * (d + d_new)
    return (jnp.where(s['corrector'], heun_step, euler),
            jnp.where(s['corrector'], x_hat, x_in),
            jnp.where(s['corrector'], d, d_new)), None

  x0 = x_init.astype(jnp.float32)
  (x, _, _), _ = jax.lax.scan(body, (x0, x0, jnp.zeros_like(x0)), stages)
  return x


def run_heun(process, key, denoiser, x_init, steps: int, options: HeunOptions):
  sigmas = process.sigma_steps(steps)
  return heun(key, denoiser, x_init, sigmas, churn_gammas(sigmas, options), options.s_noise)
