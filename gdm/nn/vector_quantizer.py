"""Vector quantization (van den Oord et al., 2017): a codebook of K codes of dim D.

Pure functions on arrays, so the codebook can live in params (trained by the codebook loss)
or in `model_state` (updated by exponential moving averages, appendix A.1 of the paper):

* `quantize` assigns each input vector to its nearest code (squared distance), passes
  gradients straight through (z_e + sg(z_q - z_e)) and returns the per-example codebook
  loss ||sg(z_e) - e||^2 and commitment loss ||z_e - sg(e)||^2 (the caller weighs the
  latter by beta and drops the former when the codebook is an EMA).
* `ema_update` is Sonnet's VectorQuantizerEMA rule: zero-initialised, debiased EMAs of the
  cluster sizes N_i and of the sums of assigned vectors m_i, Laplace-smoothed sizes, codes
  e_i = m_i / N_i. A code no vector has ever chosen thus sits at 0 until restarted.
* `restart_dead_codes` re-initialises codes whose EMA cluster size fell below a threshold
  to encoder outputs drawn from the batch (as in Jukebox, Dhariwal et al., 2020).
"""
import math

import jax
import jax.numpy as jnp
from jax.scipy.special import xlogy


def init_codebook(key: jax.Array, num_codes: int, dim: int) -> jax.Array:
  """Uniform in +-sqrt(3/D): unit expected squared norm, the scale of a fresh encoder's
  outputs (Sonnet's variance-scaling initialiser of the codebook)."""
  limit = (3.0 / dim) ** 0.5
  return jax.random.uniform(key, (num_codes, dim), jnp.float32, -limit, limit)


def squared_distances(z: jax.Array, codebook: jax.Array) -> jax.Array:
  """[N, D], [K, D] -> [N, K] of ||z_n - e_k||^2, expanded so no [N, K, D] tensor exists."""
  z, codebook = z.astype(jnp.float32), codebook.astype(jnp.float32)
  return (jnp.sum(z * z, -1, keepdims=True) - 2.0 * z @ codebook.T
          + jnp.sum(codebook * codebook, -1)[None, :])


def nearest_codes(z: jax.Array, codebook: jax.Array) -> jax.Array:
  """[..., D] -> int32 [...]: index of the nearest code (the lowest index on ties)."""
  flat = z.reshape(-1, z.shape[-1])
  return jnp.argmin(squared_distances(flat, codebook), -1).astype(jnp.int32).reshape(
      z.shape[:-1])


def _per_example_sum(x: jax.Array) -> jax.Array:
  return x.reshape(x.shape[0], -1).sum(1)


def quantize(z_e: jax.Array, codebook: jax.Array) -> dict[str, jax.Array]:
  """z_e [B, ..., D] -> {'z_q': straight-through codes [B, ..., D], 'codes': int32 [B, ...],
  'codebook_loss', 'commitment_loss': per-example sums [B]}."""
  z_e = z_e.astype(jnp.float32)
  codes = nearest_codes(z_e, codebook)
  e = codebook.astype(jnp.float32)[codes]
  sg = jax.lax.stop_gradient
  return {
      'z_q': z_e + sg(e - z_e),       # forward: e; backward: identity to z_e
      'codes': codes,
      'codebook_loss': _per_example_sum(jnp.square(sg(z_e) - e)),
      'commitment_loss': _per_example_sum(jnp.square(z_e - sg(e))),
  }


def code_counts(codes: jax.Array, num_codes: int, weights: jax.Array | None = None):
  """int [B, ...] -> float32 [K]: how many positions chose each code; `weights` [B] (e.g. an
  evaluation mask) weighs each example's positions."""
  one_hot = jax.nn.one_hot(codes.reshape(codes.shape[0], -1), num_codes, dtype=jnp.float32)
  if weights is not None:
    one_hot = one_hot * weights.astype(jnp.float32)[:, None, None]
  return one_hot.sum((0, 1))


def draw_like(key: jax.Array, codes: jax.Array, num_codes: int, num: int,
              weights: jax.Array | None = None) -> jax.Array:
  """`num` code maps shaped like codes[0], every entry drawn independently from the code
  frequencies of `codes` [B, ...] (weighed per example by `weights`); unused codes never.
  Drawn as a flat vector: XLA:CPU compiles rank >= 3 random draws very slowly."""
  logits = jnp.log(code_counts(codes, num_codes, weights))   # -inf for unused codes
  shape = (num,) + codes.shape[1:]
  return jax.random.categorical(key, logits, shape=(math.prod(shape),)).reshape(shape)


def perplexity(counts: jax.Array) -> jax.Array:
  """exp(entropy of the average one-hot assignment): K for uniform use, 1 for one code."""
  p = counts / jnp.maximum(counts.sum(), 1e-12)
  return jnp.exp(-jnp.sum(xlogy(p, p)))


def usage(counts: jax.Array) -> jax.Array:
  """Fraction of the codes chosen at least once."""
  return jnp.mean((counts > 0).astype(jnp.float32))


# ---------------------------------------------------------------- EMA codebook

def ema_init(codebook: jax.Array) -> dict[str, jax.Array]:
  """The EMA codebook state: biased (zero-initialised) accumulators and their update count."""
  k, d = codebook.shape
  return {'codebook': codebook.astype(jnp.float32),
          'cluster_size': jnp.zeros((k,), jnp.float32),
          'embed_sum': jnp.zeros((k, d), jnp.float32),
          'updates': jnp.zeros((), jnp.int32)}


def _debias(state, decay):
  """1 - decay^t: divides the zero-initialised accumulators into unbiased averages."""
  return 1.0 - jnp.float32(decay) ** state['updates'].astype(jnp.float32)


def ema_cluster_sizes(state, decay: float) -> jax.Array:
  """Debiased EMA of how many vectors per batch chose each code: [K] (0 before any update)."""
  return state['cluster_size'] / jnp.maximum(_debias(state, decay), 1e-12)


def ema_update(state, z: jax.Array, codes: jax.Array, decay: float, epsilon: float):
  """One EMA step on the assignment `codes` [B, ...] of the vectors `z` [B, ..., D]."""
  k, d = state['codebook'].shape
  flat = jax.lax.stop_gradient(z).reshape(-1, d).astype(jnp.float32)
  one_hot = jax.nn.one_hot(codes.reshape(-1), k, dtype=jnp.float32)
  counts, sums = one_hot.sum(0), one_hot.T @ flat
  new = {'cluster_size': decay * state['cluster_size'] + (1 - decay) * counts,
         'embed_sum': decay * state['embed_sum'] + (1 - decay) * sums,
         'updates': state['updates'] + 1}
  bias = _debias(new, decay)
  size, total = new['cluster_size'] / bias, new['embed_sum'] / bias
  n = size.sum()
  # Laplace smoothing keeps every size > 0, so unused codes divide by a small number, not 0.
  smoothed = (size + epsilon) / (n + k * epsilon) * n
  new['codebook'] = total / smoothed[:, None]
  return new


def restart_dead_codes(state, z: jax.Array, key: jax.Array, decay: float, threshold: float):
  """Codes whose debiased EMA cluster size is below `threshold` become random rows of `z`
  [B, ..., D] (drawn with `key`); their EMA statistics restart at size `threshold`, so a
  restarted code that no vector chooses is dead (and restarted) again at the next step.
  Returns (state, number of codes restarted)."""
  k, d = state['codebook'].shape
  flat = jax.lax.stop_gradient(z).reshape(-1, d).astype(jnp.float32)
  dead = ema_cluster_sizes(state, decay) < threshold
  pick = flat[jax.random.randint(key, (k,), 0, flat.shape[0])]
  bias = _debias(state, decay)
  new = dict(state)
  new['codebook'] = jnp.where(dead[:, None], pick, state['codebook'])
  new['cluster_size'] = jnp.where(dead, threshold * bias, state['cluster_size'])
  new['embed_sum'] = jnp.where(dead[:, None], pick * threshold * bias, state['embed_sum'])
  return new, dead.sum().astype(jnp.float32)
