"""StyleGAN2's W space as pure array functions: one w per synthesis layer, style mixing, the
running mean of w and the truncation trick (the official G_main).

Style mixing regularisation (Karras et al., 2019, StyleGAN Sec. 3.1): with probability p a
training batch maps two z, and layers below one crossover index c ~ U{1, ..., L-1} (one per
batch, as the official code) read the first w, the rest the second. Truncation in W (ibid.,
Appendix B): w' = w_avg + psi (w - w_avg), w_avg the running mean of the mapping network's
outputs in training; psi = 0 gives every sample the mean w, 1 turns it off.
"""
import jax
import jax.numpy as jnp


def broadcast(w: jax.Array, num_ws: int) -> jax.Array:
  """[B, D] -> [B, L, D]: the same w for every layer."""
  return jnp.repeat(w[:, None], num_ws, axis=1)


def mixing_cutoff(key: jax.Array, num_ws: int, prob: float) -> jax.Array:
  """The crossover layer: U{1..L-1} with probability `prob`, else L (no mixing)."""
  k_mix, k_cut = jax.random.split(key)
  cut = jax.random.randint(k_cut, (), 1, max(num_ws, 2))
  return jnp.where(jax.random.uniform(k_mix) < prob, cut, num_ws)


def mix(ws1: jax.Array, ws2: jax.Array, cutoff: jax.Array) -> jax.Array:
  """Layers < cutoff from ws1, the others from ws2 ([B, L, D] each)."""
  layer = jnp.arange(ws1.shape[1])[None, :, None]
  return jnp.where(layer < cutoff, ws1, ws2)


def truncate(ws: jax.Array, w_avg: jax.Array, psi: float) -> jax.Array:
  return w_avg + psi * (ws - w_avg)


def update_w_avg(w_avg: jax.Array, w: jax.Array, decay: float) -> jax.Array:
  """decay * w_avg + (1 - decay) * the batch mean of w [B, D] (a constant for gradients)."""
  return jax.lax.stop_gradient(decay * w_avg + (1.0 - decay) * jnp.mean(w, axis=0))
