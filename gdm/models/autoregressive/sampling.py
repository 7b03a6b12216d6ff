"""Compiled sampling and completion of autoregressive models.

Both run one `lax.fori_loop` over the positions of the raster order (subpixels, or whole
pixels for a pixel-wise head such as PixelCNN++'s): each step runs the network on the canvas
and draws the next position from the head. Nothing is cached, so a step costs one full
forward pass: simple, exact, and the same network the likelihood uses. Completion
(inpainting) starts from the observed values and only draws the positions that are not
observed; the observed part must be a prefix in raster order, since an autoregressive model
gives p(later | earlier) and nothing else in closed form.
"""
import jax
import jax.numpy as jnp
import numpy as np

from gdm.objectives.decoder_likelihoods import _concrete


def prefix_lengths(observed, pixel_wise: bool) -> np.ndarray:
  """Observed positions per example of a mask [N, H, W, C] that must be a raster-order prefix
  (whole pixels for a pixel-wise head); one-line ValueError otherwise."""
  mask = _concrete(observed)
  if mask is None:
    raise ValueError('the inpainting mask must be known when the sampler is built (a NumPy '
                     'array), not computed inside jit')
  flat = mask.reshape(mask.shape[0], -1).astype(bool)
  lengths = flat.sum(1)
  prefix = np.arange(flat.shape[1])[None, :] < lengths[:, None]
  bad = np.nonzero((flat != prefix).any(1))[0]
  if bad.size:
    raise ValueError(f'the inpainting mask of example {bad[0]} is not a raster-order prefix '
                     f'(observed pixels must come first: the top rows, then the left part of '
                     f'the next row, channels in order)')
  channels = mask.shape[-1]
  if pixel_wise and np.any(lengths % channels):
    raise ValueError('this model draws whole pixels (all channels at once): the inpainting '
                     'mask must observe all channels of a pixel or none')
  return lengths


def complete(out_fn, head, key, canvas: jax.Array, lengths: np.ndarray) -> jax.Array:
  """Fills positions >= lengths[n] of canvas [N, H, W, C] with draws from the model.

  out_fn(canvas) -> [N, H, W, C, P] (element-wise head) or [N, H, W, P] (pixel-wise head).
  """
  n, h, w, c = canvas.shape
  per = c if head.pixel_wise else 1               # values drawn per step
  steps = h * w * c // per
  start = int(np.min(lengths)) // per if len(lengths) else 0
  lengths = jnp.asarray(np.asarray(lengths) // per, jnp.int32)

  def body(t, flat):
    out = out_fn(flat.reshape(canvas.shape))
    out = out.reshape(n, steps, -1)
    drawn = head.sample(jax.random.fold_in(key, t), out[:, t]).reshape(n, per)
    old = jax.lax.dynamic_slice_in_dim(flat, t, 1, axis=1).reshape(n, per)
    new = jnp.where((t < lengths)[:, None], old, drawn)
    return jax.lax.dynamic_update_slice_in_dim(flat, new.reshape(n, 1, per), t, axis=1)

  flat = canvas.reshape(n, steps, per).astype(jnp.float32)
  flat = jax.lax.fori_loop(start, steps, body, flat)
  return flat.reshape(canvas.shape)


def sample(out_fn, head, key, shape) -> jax.Array:
  """num draws of shape [N, H, W, C] from scratch."""
  return complete(out_fn, head, key, jnp.zeros(shape, jnp.float32),
                  np.zeros(shape[0], np.int64))


def rows_observed(shape, rows: int) -> np.ndarray:
  """The mask [N, H, W, C] that observes the top `rows` rows."""
  mask = np.zeros(shape, bool)
  mask[:, :rows] = True
  return mask
