"""Samplers, each one compiled program: the loop over steps is a lax.scan / fori_loop.

They take plain functions of arrays, so a trained network, a guided network or an exact
score (the tests' Gaussian data) plug in alike:
  discrete (DDPM schedule, t an int index, 0 = the last step)
    eps_fn(x, t) -> (eps_hat, log_var)    log_var: log variance of p(x_{t-1} | x_t)
  noise-conditional (NCSN, i an index into sigmas, largest first)
    score_fn(x, i) -> score
  continuous (an SDE, t a float in [eps, 1])
    score_fn(x, t) -> score

  ddpm_ancestral         x_{t-1} ~ p(x_{t-1} | x_t) from t = start down to 0 (Ho et al.),
                         with an optional projection after every step (inpainting) and
                         RePaint resampling (Lugmayr et al., 2022, jump length 1)
  ddim                   any decreasing subset of timesteps, eta = 0 deterministic, eta = 1
                         the ancestral sampler of the respaced chain (Song et al., 2021a)
  annealed_langevin      NCSN (Song & Ermon, 2019), step size eps sigma_i^2 / sigma_L^2, and
                         the final denoising step x + sigma_L^2 s(x, sigma_L) (Song & Ermon,
                         2020)
  euler_maruyama         the reverse-time SDE dx = [f - g^2 score] dt + g dw from t = 1 to eps
  predictor_corrector    Euler-Maruyama predictor + Langevin corrector at signal-to-noise
                         ratio `snr` (Song et al., 2021b, algorithms 2-3)
  ode_sample             the probability-flow ODE dx/dt = f - g^2 score / 2, RK4 steps
  ode_log_likelihood     log p_eps(x) = log p_1(x_1) + int_eps^1 div(f - g^2 score / 2) dt,
                         exact trace (D jvps) or Hutchinson's estimator (one Rademacher probe
                         per example, fixed along the path as in FFJORD)
The continuous samplers return the noise-free mean of their last step, as Song et al. do.
"""
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from gdm.diffusion import schedules
from gdm.diffusion.sde import SDE

TRACES = ('hutchinson', 'exact')


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


def annealed_langevin(key: jax.Array, score_fn: Callable, sigmas: jax.Array, x_init: jax.Array,
                      steps_per_sigma: int, step_lr: float, denoise: bool = True) -> jax.Array:
  sigmas = jnp.asarray(sigmas, jnp.float32)

  def level(x, inp):
    i, key = inp
    alpha = step_lr * (sigmas[i] / sigmas[-1]) ** 2
    ib = _full(i, x)

    def step(j, x):
      noise = jax.random.normal(jax.random.fold_in(key, j), x.shape)
      return x + 0.5 * alpha * score_fn(x, ib) + jnp.sqrt(alpha) * noise

    return jax.lax.fori_loop(0, steps_per_sigma, step, x), None

  n = sigmas.shape[0]
  x, _ = jax.lax.scan(level, x_init, (jnp.arange(n), jax.random.split(key, n)))
  if denoise:
    x = x + sigmas[-1] ** 2 * score_fn(x, _full(n - 1, x))
  return x


def _times(num_steps: int, eps: float):
  return jnp.linspace(1.0, eps, num_steps), (1.0 - eps) / (num_steps - 1)


def _reverse_drift(sde: SDE, score_fn, x, t, ode: bool):
  tb = jnp.full((x.shape[0],), t)
  f, g = sde.sde(x, tb)
  return f - (0.5 if ode else 1.0) * g * g * score_fn(x, tb), g


def euler_maruyama(key: jax.Array, score_fn: Callable, sde: SDE, x_init: jax.Array,
                   num_steps: int, eps: float) -> jax.Array:
  ts, dt = _times(num_steps, eps)

  def body(carry, inp):
    x, _ = carry
    t, key = inp
    drift, g = _reverse_drift(sde, score_fn, x, t, ode=False)
    mean = x - drift * dt
    return (mean + g * jnp.sqrt(dt) * jax.random.normal(key, x.shape), mean), None

  (_, mean), _ = jax.lax.scan(body, (x_init, x_init), (ts, jax.random.split(key, num_steps)))
  return mean


def langevin_correct(key, score_fn, sde: SDE, x, t, snr: float, steps: int, dt: float):
  """Langevin steps at fixed t with step 2 alpha (snr ||z|| / ||score||)^2, the norms
  averaged over the batch as in Song et al.'s code (a per-example ratio blows up wherever the
  score happens to be near zero)."""
  alpha = 1.0 - sde.diffusion_sq(t) * dt if sde.kind == 'vp' else 1.0
  tb = jnp.full((x.shape[0],), t)

  def norm(v):
    return jnp.sqrt(jnp.sum(v.reshape(v.shape[0], -1) ** 2, 1)).mean()

  def step(j, x):
    grad = score_fn(x, tb)
    z = jax.random.normal(jax.random.fold_in(key, j), x.shape)
    size = 2 * alpha * (snr * norm(z) / jnp.maximum(norm(grad), 1e-12)) ** 2
    return x + size * grad + jnp.sqrt(2 * size) * z

  return jax.lax.fori_loop(0, steps, step, x)


def predictor_corrector(key: jax.Array, score_fn: Callable, sde: SDE, x_init: jax.Array,
                        num_steps: int, eps: float, snr: float = 0.16,
                        corrector_steps: int = 1) -> jax.Array:
  ts, dt = _times(num_steps, eps)

  def body(carry, inp):
    x, _ = carry
    t, key = inp
    k_corr, k_pred = jax.random.split(key)
    x = langevin_correct(k_corr, score_fn, sde, x, t, snr, corrector_steps, dt)
    drift, g = _reverse_drift(sde, score_fn, x, t, ode=False)
    mean = x - drift * dt
    return (mean + g * jnp.sqrt(dt) * jax.random.normal(k_pred, x.shape), mean), None

  (_, mean), _ = jax.lax.scan(body, (x_init, x_init), (ts, jax.random.split(key, num_steps)))
  return mean


def _rk4(fn, y, t, h):
  """One classical Runge-Kutta step of dy/dt = fn(y, t) for a pytree y. The four stages run
  as a lax.scan, so the network inside fn is compiled once, not four times."""
  def stage(carry, coef):
    acc, k = carry
    c, w = coef[0], coef[1]
    k = fn(jax.tree.map(lambda a, b: a + c * h * b, y, k), t + c * h)
    return (jax.tree.map(lambda a, b: a + w * b, acc, k), k), None

  zeros = jax.tree.map(jnp.zeros_like, y)
  coefs = jnp.array([[0.0, 1 / 6], [0.5, 2 / 6], [0.5, 2 / 6], [1.0, 1 / 6]])
  (acc, _), _ = jax.lax.scan(stage, (zeros, zeros), coefs)
  return jax.tree.map(lambda a, b: a + h * b, y, acc)


def ode_sample(score_fn: Callable, sde: SDE, x_init: jax.Array, num_steps: int,
               eps: float) -> jax.Array:
  """Integrates the probability-flow ODE from t = 1 to eps in num_steps RK4 steps."""
  h = -(1.0 - eps) / num_steps

  def body(x, i):
    t = 1.0 + i * h
    return _rk4(lambda y, t: _reverse_drift(sde, score_fn, y, t, ode=True)[0], x, t, h), None

  x, _ = jax.lax.scan(body, x_init, jnp.arange(num_steps))
  return x


def ode_log_likelihood(key: jax.Array, score_fn: Callable, sde: SDE, x: jax.Array,
                       num_steps: int, eps: float, trace: str = 'hutchinson'):
  """(log p_eps(x) per example in nats, x_1 the ODE's image at t = 1)."""
  if trace not in TRACES:
    raise ValueError(f'unknown trace estimator {trace!r}; choose one of: {", ".join(TRACES)}')
  d = int(np.prod(x.shape[1:]))
  probe = jax.random.rademacher(key, x.shape, jnp.float32)

  def drift(y, t):
    return _reverse_drift(sde, score_fn, y, t, ode=True)[0]

  def fn(state, t):
    """(drift, its divergence): the drift acts on each example separately, so one jvp over
    the batch gives J v per example, and its primal output is the drift itself."""
    y, _ = state
    f_t = lambda z: drift(z, t)   # noqa: E731
    if trace == 'hutchinson':
      f, jv = jax.jvp(f_t, (y,), (probe,))
      return f, jnp.sum((jv * probe).reshape(y.shape[0], -1), 1)
    total = jnp.zeros((y.shape[0],))
    for i in range(d):
      e = jnp.broadcast_to(jnp.zeros((d,)).at[i].set(1.0).reshape(y.shape[1:]), y.shape)
      f, je = jax.jvp(f_t, (y,), (e,))
      total = total + je.reshape(y.shape[0], -1)[:, i]
    return f, total

  h = (1.0 - eps) / num_steps

  def body(state, i):
    return _rk4(fn, state, eps + i * h, h), None

  (x1, div_int), _ = jax.lax.scan(body, (x.astype(jnp.float32), jnp.zeros((x.shape[0],))),
                                  jnp.arange(num_steps))
  return sde.prior_log_prob(x1) + div_int, x1
