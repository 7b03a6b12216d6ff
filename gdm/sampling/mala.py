"""The Metropolis-adjusted Langevin algorithm (Roberts & Tweedie, 1996) on an energy.

A Langevin step is a proposal, y = x - eps g(x) + sqrt(2 eps) N(0, I) with g the (optionally
clipped) energy gradient, accepted with probability

    min(1, exp(E(x) - E(y)) q(x | y) / q(y | x)),   log q(y | x) = -|y - x + eps g(x)|^2 / (4 eps)

so the chain's stationary law is exp(-E) exactly, whatever the step size (a clipped drift is
still a valid proposal). Proposals that leave `bounds` are rejected: the target is exp(-E)
restricted to the box. With `update`, only those entries move and the target is the
conditional law of the rest given the fixed ones.
"""
from typing import Callable

import jax
import jax.numpy as jnp

from gdm.sampling.langevin import clip_per_example


def _per_example(v: jax.Array) -> jax.Array:
  return jnp.sum(v.reshape(v.shape[0], -1), axis=1)


def _value_and_grad(energy: Callable[[jax.Array], jax.Array], x: jax.Array):
  """Per-example energies [B] and their input gradients (examples are independent)."""
  e, vjp = jax.vjp(lambda v: energy(v).astype(jnp.float32), x)
  return e, vjp(jnp.ones_like(e))[0]


def mala(energy: Callable[[jax.Array], jax.Array], x0: jax.Array, key: jax.Array, *,
         step_size: float, num_steps: int, grad_clip: float = 0.0,
         bounds: tuple[float, float] | None = None, update: jax.Array | None = None,
         unroll: int = 1) -> tuple[jax.Array, jax.Array]:
  """`num_steps` MALA steps from x0 [B, ...] on energy(x) -> [B]: (the chains' states, the
  share of proposals accepted over all steps and chains)."""
  mask = (jnp.ones_like(x0) if update is None
          else jnp.broadcast_to(update, x0.shape).astype(x0.dtype))
  noise_scale = jnp.sqrt(2.0 * step_size)

  def drift(g):
    return step_size * mask * (clip_per_example(g, grad_clip) if grad_clip > 0 else g)

  def log_q(to, frm, g_frm):
    """log q(to | frm) up to a constant, per example."""
    return -_per_example((to - frm + drift(g_frm)) ** 2) / (4.0 * step_size)

  def step(t, carry):
    x, e, g, accepted = carry
    k_noise, k_accept = jax.random.split(jax.random.fold_in(key, t))
    # Drawn flat: XLA:CPU compiles rank >= 3 random draws slowly.
    noise = jax.random.normal(k_noise, (x.size,), x.dtype).reshape(x.shape)
    y = x - drift(g) + noise_scale * mask * noise
    e_y, g_y = _value_and_grad(energy, y)
    log_ratio = e - e_y + log_q(x, y, g_y) - log_q(y, x, g)
    ok = jnp.log(jax.random.uniform(k_accept, e.shape)) < log_ratio
    if bounds is not None:
      inside = (y >= bounds[0]) & (y <= bounds[1])
      ok &= jnp.all(inside.reshape(x.shape[0], -1), axis=1)
    keep = ok.reshape((-1,) + (1,) * (x.ndim - 1))
    return (jnp.where(keep, y, x), jnp.where(ok, e_y, e), jnp.where(keep, g_y, g),
            accepted + ok.sum())

  e0, g0 = _value_and_grad(energy, x0)
  x, _, _, accepted = jax.lax.fori_loop(0, num_steps, step, (x0, e0, g0, jnp.zeros((), jnp.int32)),
                                        unroll=unroll)
  return x, accepted / (num_steps * x0.shape[0])
