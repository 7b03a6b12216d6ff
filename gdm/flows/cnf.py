"""Continuous normalizing flow (Chen et al., 2018; FFJORD, Grathwohl et al., 2019) for 2-D
and tabular data [B, D].

z(0) = x (data), dz/dt = f(z, t) for t in [0, T], latent = z(T). The log-density follows
  d log|det dz(t)/dx| / dt = tr(df/dz),
integrated alongside z with fixed-step RK4 in lax.scan (differentiated through the steps).
Training uses Hutchinson's estimator tr(J) ~ e^T J e with one Rademacher probe e per
example and solve (unbiased; one jvp per evaluation); evaluation and sampling use the
exact trace (D jvps, cheap for small D). The CNF module estimates the trace when an rng
stream 'hutchinson' is passed to apply, and computes it exactly otherwise.
"""
from collections.abc import Callable, Sequence

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.flows.bijector import Bijector
from gdm.nn.mlp import activation

HUTCHINSON_RNG = 'hutchinson'


def exact_trace(f: Callable, z: jax.Array) -> jax.Array:
  """tr(df/dz) per example for a row-wise f: [B, D] -> [B, D] (D jvps)."""
  d = z.shape[-1]

  def column(i):
    e = jnp.zeros_like(z).at[:, i].set(1.0)
    return jax.jvp(f, (z,), (e,))[1][:, i]

  return sum(column(i) for i in range(d))


def hutchinson_trace(f: Callable, z: jax.Array, e: jax.Array) -> jax.Array:
  """e^T (df/dz) e per example: unbiased for tr(df/dz) when E[e e^T] = I."""
  return jnp.sum(e * jax.jvp(f, (z,), (e,))[1], -1)


def rademacher(key, shape) -> jax.Array:
  return jax.random.rademacher(key, shape).astype(jnp.float32)


def rk4(dynamics: Callable, state, t0: float, t1: float, num_steps: int):
  """Integrates d state/dt = dynamics(state, t) from t0 to t1 (either order) with
  `num_steps` classical Runge-Kutta steps; `state` is any pytree."""
  dt = (t1 - t0) / num_steps
  add = lambda a, b, c: jax.tree.map(lambda u, v: u + c * v, a, b)

  def body(s, i):
    t = t0 + i * dt
    k1 = dynamics(s, t)
    k2 = dynamics(add(s, k1, dt / 2), t + dt / 2)
    k3 = dynamics(add(s, k2, dt / 2), t + dt / 2)
    k4 = dynamics(add(s, k3, dt), t + dt)
    incr = jax.tree.map(lambda a, b, c, d: (a + 2 * b + 2 * c + d) / 6, k1, k2, k3, k4)
    return add(s, incr, dt), None

  return jax.lax.scan(body, state, jnp.arange(num_steps, dtype=jnp.float32))[0]


class ODENet(nn.Module):
  """f(z, t): an MLP that sees t concatenated to its input at every layer."""
  hidden: Sequence[int]
  act: str = 'tanh'

  @nn.compact
  def __call__(self, z, t):
    act = activation(self.act)
    tt = jnp.full(z.shape[:-1] + (1,), t, z.dtype)
    h = z
    for i, width in enumerate(tuple(self.hidden) + (z.shape[-1],)):
      h = nn.Dense(width, name=f'dense{i}')(jnp.concatenate([h, tt], -1))
      if i < len(self.hidden):
        h = act(h)
    return h


class CNF(Bijector):
  hidden: Sequence[int] = (64, 64)
  act: str = 'tanh'
  time: float = 1.0
  num_steps: int = 8

  @nn.compact
  def __call__(self, x, inverse: bool = False):
    net = ODENet(tuple(self.hidden), self.act)    # unbound: applied functionally in scan
    params = self.param('net', lambda key: net.init(key, x[:1], 0.0)['params'])
    f = lambda z, t: net.apply({'params': params}, z, t)
    probe = (rademacher(self.make_rng(HUTCHINSON_RNG), x.shape)
             if self.has_rng(HUTCHINSON_RNG) else None)

    def dynamics(state, t):
      z, _ = state
      ft = lambda v: f(v, t)
      tr = exact_trace(ft, z) if probe is None else hutchinson_trace(ft, z, probe)
      return ft(z), tr

    t0, t1 = (self.time, 0.0) if inverse else (0.0, self.time)
    # Integrating backwards in time accumulates -integral of the trace: log|det dx/dz|.
    return rk4(dynamics, (x, jnp.zeros(x.shape[:1], jnp.float32)), t0, t1, self.num_steps)
