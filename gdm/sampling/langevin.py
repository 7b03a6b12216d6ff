"""Stochastic gradient Langevin dynamics on an energy, compiled as one loop.

    x <- x - step_size * clip(grad_x E(x)) + noise_scale * N(0, I)

With noise_scale = sqrt(2 * step_size) and no clipping this is the unadjusted Langevin
algorithm, whose chain targets exp(-E) up to an O(step_size) discretisation bias; EBM
training decouples the two (Du & Mordatch, 2019 use a large step and small noise), which
samples a sharpened density. Clipping bounds each example's gradient norm, so that one
steep region cannot throw a chain out of the data range. `sgld` takes plain values;
gdm.sampling.chains names the settings (Langevin, decoupled, MALA) and checks them.
"""
from typing import Callable

import jax
import jax.numpy as jnp


def clip_per_example(g: jax.Array, max_norm: float) -> jax.Array:
  """Scales each example's gradient (leading axis) down to L2 norm <= max_norm."""
  norm = jnp.sqrt(jnp.sum(jnp.square(g), axis=tuple(range(1, g.ndim)), keepdims=True))
  return g * jnp.minimum(1.0, max_norm / jnp.maximum(norm, 1e-12))


def energy_grad(energy: Callable[[jax.Array], jax.Array]) -> Callable[[jax.Array], jax.Array]:
  """grad_x of a per-example energy [B]: the examples are independent, so the gradient of
  the sum is each example's own gradient."""
  return jax.grad(lambda x: jnp.sum(energy(x).astype(jnp.float32)))


def sgld(energy: Callable[[jax.Array], jax.Array], x0: jax.Array, key: jax.Array, *,
         step_size: float, noise_scale: float, num_steps: int, grad_clip: float = 0.0,
         bounds: tuple[float, float] | None = None, update: jax.Array | None = None,
         unroll: int = 1) -> jax.Array:
  """Runs `num_steps` SGLD steps from x0 [B, ...] on energy(x) -> [B].

  bounds: clamp every step into [low, high] (the data range of images); update: boolean
  mask broadcastable to x0, only those entries move (inpainting keeps observed pixels).
  """
  grad = energy_grad(energy)

  def step(t, x):
    g = grad(x)
    if grad_clip > 0:
      g = clip_per_example(g, grad_clip)
    # Drawn flat: XLA:CPU compiles rank >= 3 random draws slowly.
    noise = jax.random.normal(jax.random.fold_in(key, t), (x.size,), x.dtype).reshape(x.shape)
    new = x - step_size * g + noise_scale * noise
    if bounds is not None:
      new = jnp.clip(new, *bounds)
    return new if update is None else jnp.where(update, new, x)

  return jax.lax.fori_loop(0, num_steps, step, x0, unroll=unroll)
