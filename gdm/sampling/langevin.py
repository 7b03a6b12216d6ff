"""Stochastic gradient Langevin dynamics on an energy, compiled as one loop.

    x <- x - step_size * clip(grad_x E(x)) + noise_scale * N(0, I)

With noise_scale = sqrt(2 * step_size) and no clipping this is the unadjusted Langevin
algorithm, whose chain targets exp(-E) up to an O(step_size) discretisation bias; EBM
training decouples the two (Du & Mordatch, 2019 use a large step and small noise), which
samples a sharpened density. Clipping bounds each example's gradient norm, so that one
steep region cannot throw a chain out of the data range. `SGLDConfig` is the checked
config section of these settings; `sgld` itself takes plain values.
"""
from typing import Callable

import jax
import jax.numpy as jnp

from gdm.utils.schema import require, section


@section
class SGLDConfig:
  """Settings of one family of SGLD chains (the EBM's `model.sgld`); the checks name the
  field, the schema adds where the section sits."""
  steps: int = 20               # SGLD steps per chain
  step_size: float = 0.01       # x <- x - step_size * grad E + noise_scale * N(0, I)
  noise_scale: float = 0.1
  grad_clip: float = 0.0        # max L2 norm of each example's energy gradient; 0 = off
  unroll: int = 1               # unroll of the loop; on XLA:CPU conv energies ran ~5x
                                # faster fully unrolled (= steps), compiling longer

  def __post_init__(self):
    require(self.step_size > 0, 'step_size', self.step_size, 'must be > 0')
    require(self.noise_scale > 0, 'noise_scale', self.noise_scale, 'must be > 0')
    require(self.steps >= 1, 'steps', self.steps, 'must be >= 1')
    require(self.grad_clip >= 0, 'grad_clip', self.grad_clip, 'must be >= 0 (0 = no clipping)')
    require(self.unroll >= 1, 'unroll', self.unroll, 'must be >= 1')


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
