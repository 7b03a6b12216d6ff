"""Sinusoidal embedding of a (continuous) timestep, as in the Transformer and DDPM."""
import math

import jax
import jax.numpy as jnp


def sinusoidal_embedding(t: jax.Array, dim: int, max_period: float = 10_000.0) -> jax.Array:
  """t [B] -> [B, dim]: sin(t w_k), cos(t w_k) with w_k = max_period^(-k / (dim/2 - 1))."""
  half = dim // 2
  freqs = jnp.exp(-math.log(max_period) * jnp.arange(half, dtype=jnp.float32)
                  / max(half - 1, 1))
  args = jnp.asarray(t, jnp.float32)[:, None] * freqs[None]
  emb = jnp.concatenate([jnp.sin(args), jnp.cos(args)], axis=1)
  return jnp.pad(emb, ((0, 0), (0, dim % 2)))
