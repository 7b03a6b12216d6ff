"""Pixelwise feature normalization (Karras et al., 2018, Sec. 4.2): each pixel's feature
vector is scaled to unit mean square, b = a / sqrt(mean_j a_j^2 + eps), eps = 1e-8. It has no
parameters and keeps the generator's signal magnitudes from escalating."""
import jax
import jax.numpy as jnp

EPSILON = 1e-8


def pixel_norm(x: jax.Array, epsilon: float = EPSILON) -> jax.Array:
  """Normalises over the last (feature) axis; works for [B, C] latents and [B, H, W, C] maps."""
  x32 = x.astype(jnp.float32)
  out = x32 * jax.lax.rsqrt(jnp.mean(jnp.square(x32), axis=-1, keepdims=True) + epsilon)
  return out.astype(x.dtype)
