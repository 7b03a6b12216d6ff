"""StyleGAN2's path length regulariser (Karras et al., 2020, Sec. 3.2, eq. 4):

  E_{w, y ~ N(0, I)} (||J_w^T y||_2 - a)^2

with J_w the Jacobian of the synthesis network g at w and y random images, `a` the running
mean of the lengths. As the official code (training/loss.py, G_logistic_ns_pathreg): y is
divided by sqrt(H W), the gradient of sum(g(ws) * y) is taken with respect to the per-layer
ws [B, L, D], and a length is sqrt(mean over the L layers of the squared norm over D), so that
the regulariser sees every layer of a style-mixed w. The running mean moves by `decay` (0.01)
towards the batch mean before it is used, and is a constant for the gradient.
"""
import math
from typing import Callable

import jax
import jax.numpy as jnp


def path_noise(key: jax.Array, image_shape: tuple[int, ...]) -> jax.Array:
  """y ~ N(0, I) / sqrt(H W) for images [B, H, W, C]."""
  return jax.random.normal(key, image_shape) / math.sqrt(image_shape[1] * image_shape[2])


def path_lengths(synthesis: Callable[[jax.Array], jax.Array], ws: jax.Array,
                 y: jax.Array) -> jax.Array:
  """Per-example ||J_w^T y|| as above, ws [B, L, D], y shaped like synthesis(ws). The vjp of
  the batch is the per-example one: the synthesis network treats examples independently."""
  _, vjp = jax.vjp(synthesis, ws)
  (grad,) = vjp(y.astype(jnp.float32))
  return jnp.sqrt(jnp.mean(jnp.sum(jnp.square(grad.astype(jnp.float32)), axis=2), axis=1))


def path_length_penalty(lengths: jax.Array, mean: jax.Array,
                        decay: float) -> tuple[jax.Array, jax.Array]:
  """(per-example (length - a)^2, the updated running mean a)."""
  new_mean = mean + decay * (jnp.mean(lengths) - mean)
  return jnp.square(lengths - jax.lax.stop_gradient(new_mean)), jax.lax.stop_gradient(new_mean)
