"""Samplers and the likelihood of a continuous-time SDE (Song et al., 2021b), t a float in
[eps, 1]: score_fn(x, t) -> score. Each is one compiled program (a lax.scan over the steps).

  euler_maruyama         the reverse-time SDE dx = [f - g^2 score] dt + g dw from t = 1 to eps
  predictor_corrector    Euler-Maruyama predictor + Langevin corrector at signal-to-noise
                         ratio `snr` (Song et al., 2021b, algorithms 2-3)
  ode_sample             the probability-flow ODE dx/dt = f - g^2 score / 2, RK4 steps
  ode_log_likelihood     log p_eps(x) = log p_1(x_1) + int_eps^1 div(f - g^2 score / 2) dt,
                         exact trace (D jvps) or Hutchinson's estimator (one Rademacher probe
                         per example, fixed along the path as in FFJORD)
The samplers return the noise-free mean of their last step, as Song et al. do. `run_*` are
their SAMPLERS entries: they read the process's `sde`.
"""
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from gdm.diffusion.sde import SDE
from gdm.utils.schema import require, section

TRACES = ('hutchinson', 'exact')


@section
class PCOptions:
  snr: float = 0.16             # the Langevin corrector's signal-to-noise ratio
  corrector_steps: int = 1

  def __post_init__(self):
    require(self.snr > 0, 'snr', self.snr, 'must be > 0')
    require(self.corrector_steps >= 1, 'corrector_steps', self.corrector_steps, 'must be >= 1')


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


def run_euler_maruyama(process, key, score_fn, x_init, steps: int, options: None):
  sde = process.sde
  return euler_maruyama(key, score_fn, sde, x_init, steps, sde.sampling_eps)


def run_pc(process, key, score_fn, x_init, steps: int, options: PCOptions):
  sde = process.sde
  return predictor_corrector(key, score_fn, sde, x_init, steps, sde.sampling_eps, options.snr,
                             options.corrector_steps)


def run_ode(process, key, score_fn, x_init, steps: int, options: None):
  del key
  return ode_sample(score_fn, process.sde, x_init, steps, process.sde.sampling_eps)


def check_sde_steps(process, steps: int):
  del process
  if steps < 2:
    raise ValueError(f'model.sample_steps={steps} must be >= 2 for an SDE sampler')
