"""Input corruptions for denoising autoencoders (Vincent et al., 2008 and 2010)."""
import jax
import jax.numpy as jnp

from gdm.utils.checks import check_choice

CORRUPTIONS = ('none', 'gaussian', 'masking', 'salt_and_pepper')


def check_corruption(name: str, level: float):
  check_choice(name, CORRUPTIONS, 'corruption')
  if name in ('masking', 'salt_and_pepper') and not 0.0 <= level <= 1.0:
    raise ValueError(f'{name} corruption level={level} is a fraction: must be in [0, 1]')
  if name == 'gaussian' and level < 0:
    raise ValueError(f'gaussian corruption level={level} is a std: must be >= 0')


def corrupt(x: jax.Array, key: jax.Array, name: str, level: float,
            low: float = 0.0, high: float = 1.0) -> jax.Array:
  """Gaussian: x + level * N(0, 1). Masking: each value set to `low` with probability
  `level`. Salt and pepper: each value set to `low` or `high` (equally likely) with
  probability `level`. `low`/`high` are the data range's ends."""
  check_corruption(name, level)
  if name == 'none':
    return x
  if name == 'gaussian':
    return x + level * jax.random.normal(key, x.shape, x.dtype)
  k_hit, k_salt = jax.random.split(key)
  hit = jax.random.bernoulli(k_hit, level, x.shape)
  if name == 'masking':
    return jnp.where(hit, jnp.asarray(low, x.dtype), x)
  salt = jax.random.bernoulli(k_salt, 0.5, x.shape)
  return jnp.where(hit, jnp.where(salt, high, low).astype(x.dtype), x)
