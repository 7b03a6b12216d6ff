"""Samplers of a discrete (DDPM) schedule, t an int index, 0 = the last step:
eps_fn(x, t) -> (eps_hat, log_var), log_var the log variance of p(x_{t-1} | x_t).

  ddpm_ancestral   x_{t-1} ~ p(x_{t-1} | x_t) from t = start down to 0 (Ho et al.), with an
                   optional projection after every step (inpainting) and RePaint resampling
                   (Lugmayr et al., 2022, jump length 1)
  ddim             any decreasing subset of timesteps, eta = 0 deterministic, eta = 1 the
                   ancestral sampler of the respaced chain (Song et al., 2021a)

`run_ancestral` / `run_ddim` are their SAMPLERS entries: they read the process's `schedule`
and `clip`.
"""
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from gdm.diffusion import schedules
from gdm.utils.schema import require, section


@section
class DDIMOptions:
  eta: float = 0.0              # 0 = deterministic; 1 = the respaced ancestral chain

  def __post_init__(self):
    require(0 <= self.eta <= 1, 'eta', self.eta, 'must be in [0, 1]')


def check_steps(steps: int, num_timesteps: int, sampler: str):
  if not 1 <= steps <= num_timesteps:
    raise ValueError(f'{sampler} sampler: {steps} steps is not in [1, {num_timesteps}] (the '
                     f'model has T={num_timesteps} timesteps)')


def spaced_timesteps(num_timesteps: int, steps: int) -> np.ndarray:
  """`steps` timesteps from T-1 down to 0, evenly spaced (both ends included)."""
  check_steps(steps, num_timesteps, 'ddim')
  if steps == 1:
    return np.array([num_timesteps - 1])
  return np.unique(np.round(np.linspace(0, num_timesteps - 1, steps)).astype(np.int32))[::-1]


def _clip(x, clip):
  return x if clip is None else jnp.clip(x, clip[0], clip[1])


def _x0_from_eps(s, x, t, eps):
  a, sigma = schedules.marginal(s, t, x)
  return (x - sigma * eps) / a


def _noise(key, x):
  """The step's Gaussian noise; DDIM and the ancestral sampler draw it alike, so that with
  eta = 1 on the full schedule they give the same samples."""
  return jax.random.normal(jax.random.fold_in(key, 0), x.shape)


def _full(t, x):
  return jnp.full((x.shape[0],), t, jnp.int32)


def ddpm_ancestral(key: jax.Array, eps_fn: Callable, s: schedules.Schedule, x_init: jax.Array,
                   clip=None, start: int | None = None, project: Callable | None = None,
                   resample: int = 1) -> jax.Array:
  """x_init is x_start (x_T ~ N(0, I) for sampling). project(x, t, key) -> x maps a fresh
  x_t (t = -1: the final x_0) onto the known data, e.g. inpainting's replacement."""
  start = s.num_timesteps - 1 if start is None else start

  def step(x, t, key):
    tb = _full(t, x)
    eps, log_var = eps_fn(x, tb)
    x0 = _clip(_x0_from_eps(s, x, tb, eps), clip)
    mean = schedules.posterior(s, x0, x, tb)[0]
    x = mean + jnp.where(t > 0, jnp.exp(0.5 * log_var), 0.0) * _noise(key, x)
    return x if project is None else project(x, t - 1, jax.random.fold_in(key, 1))

  def body(x, inp):
    t, key = inp

    def one(j, x):
      k = jax.random.fold_in(key, j)
      x_prev = step(x, t, k)
      # RePaint: go back up one step (x_t ~ q(x_t | x_{t-1})) except after the last repeat.
      beta = s.betas[t]
      renoised = (jnp.sqrt(1 - beta) * x_prev
                  + jnp.sqrt(beta) * jax.random.normal(jax.random.fold_in(k, 2), x.shape))
      return jnp.where(j < resample - 1, renoised, x_prev)

    return jax.lax.fori_loop(0, resample, one, x), None

  ts = jnp.arange(start, -1, -1)
  x, _ = jax.lax.scan(body, x_init, (ts, jax.random.split(key, start + 1)))
  return x


def ddim(key: jax.Array, eps_fn: Callable, s: schedules.Schedule, x_init: jax.Array,
         timesteps: np.ndarray, eta: float = 0.0, clip=None) -> jax.Array:
  """DDIM from x at timesteps[0] through the decreasing `timesteps` to x_0."""
  timesteps = np.asarray(timesteps, np.int32)
  if timesteps.ndim != 1 or np.any(np.diff(timesteps) >= 0) or timesteps.min() < 0:
    raise ValueError(f'ddim: timesteps must be a strictly decreasing list of indices >= 0; '
                     f'got {timesteps.tolist()}')
  if timesteps.max() >= s.num_timesteps:
    raise ValueError(f'ddim: timestep {timesteps.max()} is beyond T={s.num_timesteps}')
  prev = np.append(timesteps[1:], -1)
  ab_all = jnp.concatenate([s.alpha_bar, jnp.ones((1,))])     # index -1 -> alpha_bar = 1

  def body(x, inp):
    t, t_prev, key = inp
    eps, _ = eps_fn(x, _full(t, x))
    ab, ab_prev = ab_all[t], ab_all[t_prev]
    x0 = _clip((x - jnp.sqrt(1 - ab) * eps) / jnp.sqrt(ab), clip)
    sigma = eta * jnp.sqrt((1 - ab_prev) / (1 - ab) * (1 - ab / ab_prev))
    x = (jnp.sqrt(ab_prev) * x0 + jnp.sqrt(jnp.maximum(1 - ab_prev - sigma ** 2, 0.0)) * eps
         + sigma * _noise(jax.random.fold_in(key, 0), x))   # as the ancestral sampler
    return x, None

  keys = jax.random.split(key, len(timesteps))
  x, _ = jax.lax.scan(body, x_init, (jnp.asarray(timesteps), jnp.asarray(prev), keys))
  return x


def run_ancestral(process, key, eps_fn, x_init, steps: int, options: None):
  del steps, options            # all T steps (checked by check_ancestral)
  return ddpm_ancestral(key, eps_fn, process.schedule, x_init, process.clip)


def check_ancestral(process, steps: int):
  t = process.schedule.num_timesteps
  if steps != t:
    raise ValueError(f'model.sample_steps={steps}: the ancestral sampler runs all '
                     f'model.ddpm.num_timesteps={t} steps (use model.sampler=ddim, '
                     'model.ddim.eta=1 for a shorter stochastic chain)')


def run_ddim(process, key, eps_fn, x_init, steps: int, options: DDIMOptions):
  timesteps = spaced_timesteps(process.schedule.num_timesteps, steps)
  return ddim(key, eps_fn, process.schedule, x_init, timesteps, options.eta, process.clip)


def check_ddim(process, steps: int):
  check_steps(steps, process.schedule.num_timesteps, 'ddim')
