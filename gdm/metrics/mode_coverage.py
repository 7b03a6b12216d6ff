"""Mode collapse on Gaussian-mixture toys: modes covered and share of high-quality samples.

The standard measure of VEEGAN (Srivastava et al., 2017, Sec. 5.1) and later work: a sample
is high quality if it lies within `num_std` (3) standard deviations of its nearest mixture
centre, and a mode is covered if at least `min_count` high-quality samples have it as their
nearest centre. Works inside jit (for per-example evaluation) and on NumPy arrays.
"""
import jax.numpy as jnp
import numpy as np

from gdm.data import toy

# Datasets with known mixture centres and per-component std.
MIXTURES = {
    'eight_gaussians': (toy.EIGHT_GAUSSIANS_CENTERS, toy.EIGHT_GAUSSIANS_STD),
    'grid25': (toy.GRID25_CENTERS, toy.GRID25_STD),
}


def nearest_mode(x, centers) -> tuple[jnp.ndarray, jnp.ndarray]:
  """(index of the nearest centre [N], distance to it [N]) for points x [N, D]."""
  d = jnp.linalg.norm(jnp.asarray(x)[:, None, :] - jnp.asarray(centers)[None], axis=-1)
  return jnp.argmin(d, axis=1), jnp.min(d, axis=1)


def high_quality(x, centers, std: float, num_std: float = 3.0) -> jnp.ndarray:
  """Per-sample 1.0 where the sample is within num_std * std of its nearest centre."""
  return (nearest_mode(x, centers)[1] <= num_std * std).astype(jnp.float32)


def mode_counts(x, centers, std: float, num_std: float = 3.0) -> jnp.ndarray:
  """High-quality samples per mode, [num_modes]."""
  idx, dist = nearest_mode(x, centers)
  good = (dist <= num_std * std).astype(jnp.float32)
  return jnp.zeros(len(centers), jnp.float32).at[idx].add(good)


def coverage(x, centers, std: float, num_std: float = 3.0, min_count: int = 1) -> dict:
  """{'modes': modes covered, 'high_quality': share of high-quality samples} as floats."""
  counts = np.asarray(mode_counts(x, centers, std, num_std))
  return {'modes': float((counts >= min_count).sum()),
          'high_quality': float(counts.sum() / len(x))}
