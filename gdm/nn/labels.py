"""Class labels as network inputs."""
import jax
import jax.numpy as jnp
import numpy as np


def one_hot(y: jax.Array, num_classes: int) -> jax.Array:
  """One-hot labels [B, num_classes]. An out-of-range label raises outside jit; inside jit
  its row is NaN, so the loss is non-finite and the trainer stops, instead of silently
  training on an all-zero label."""
  try:
    v = np.asarray(y)
  except (jax.errors.TracerArrayConversionError, jax.errors.ConcretizationTypeError):
    v = None
  if v is not None and v.size and (v.min() < 0 or v.max() >= num_classes):
    bad = v[(v < 0) | (v >= num_classes)].flat[0]
    raise ValueError(f'class label {bad} out of range [0, {num_classes})')
  y = jnp.asarray(y).astype(jnp.int32)
  ok = ((y >= 0) & (y < num_classes))[:, None]
  return jnp.where(ok, jax.nn.one_hot(y, num_classes, dtype=jnp.float32), jnp.nan)
