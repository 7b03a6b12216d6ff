"""Compiled sampling and completion of autoregressive models.

Both run one `lax.fori_loop` over the positions of the net's generation order (subpixels,
or whole pixels for a pixel-wise head such as PixelCNN++'s; raster order unless the net says
otherwise, as 2-D local attention does). Each step asks a *stepper* for the head's
parameters at the next position given the canvas, and draws it. Steppers (steppers.py):
`Recompute` runs the whole network on the canvas (one full forward pass per step: simple,
and the reference), the cached ones compute only what the new position needs and give the
same outputs. The draw of step t uses fold_in(key, t) whatever the stepper, so equal outputs
give equal samples. Completion (inpainting) starts from the observed values and only draws
the positions that are not observed; the observed part must be a prefix of the generation
order, since an autoregressive model gives p(later | earlier) and nothing else in closed
form.

A stepper has `order` (None for raster order, else the position of each step as an int
array), `start(canvas, first) -> state` (the loop begins at step `first`) and
`step(state, canvas, t) -> (out [N, P], state)`, where out parameterises the head at
position order[t].
"""
import jax
import jax.numpy as jnp
import numpy as np

from gdm.objectives.decoder_likelihoods import _concrete


def prefix_lengths(observed, pixel_wise: bool, order: np.ndarray | None = None) -> np.ndarray:
  """Observed positions (generation steps) per example of a mask [N, H, W, C] that must be a
  prefix of the generation order `order` (None: raster; whole pixels for a pixel-wise head);
  one-line ValueError otherwise."""
  mask = _concrete(observed)
  if mask is None:
    raise ValueError('the inpainting mask must be known when the sampler is built (a NumPy '
                     'array), not computed inside jit')
  flat = mask.reshape(mask.shape[0], -1).astype(bool)
  if pixel_wise:
    pixels = flat.reshape(flat.shape[0], -1, mask.shape[-1])
    if np.any(pixels.any(-1) != pixels.all(-1)):
      raise ValueError('this model draws whole pixels (all channels at once): the inpainting '
                       'mask must observe all channels of a pixel or none')
    flat = pixels[..., 0]
  if order is not None:
    flat = flat[:, order]
  lengths = flat.sum(1)
  prefix = np.arange(flat.shape[1])[None, :] < lengths[:, None]
  bad = np.nonzero((flat != prefix).any(1))[0]
  if bad.size:
    what, how = (('a raster-order prefix', 'the top rows, then the left part of the next '
                  'row, channels in order') if order is None else
                 ('a prefix of the generation order', 'this net generates the image in '
                  'bands of rows, block by block: observe whole bands'))
    raise ValueError(f'the inpainting mask of example {bad[0]} is not {what} (observed '
                     f'pixels must come first: {how})')
  return lengths


def complete(stepper, head, key, canvas: jax.Array, lengths: np.ndarray) -> jax.Array:
  """Fills the steps >= lengths[n] of canvas [N, H, W, C] with draws from the model."""
  n, h, w, c = canvas.shape
  per = c if head.pixel_wise else 1               # values drawn per step
  steps = h * w * c // per
  start = int(np.min(lengths)) if len(lengths) else 0
  lengths = jnp.asarray(np.asarray(lengths), jnp.int32)
  order = None if stepper.order is None else jnp.asarray(stepper.order, jnp.int32)

  def body(t, carry):
    flat, state = carry
    out, state = stepper.step(state, flat.reshape(canvas.shape), t)
    drawn = head.sample(jax.random.fold_in(key, t), out).reshape(n, per)
    pos = t if order is None else order[t]
    old = jax.lax.dynamic_slice_in_dim(flat, pos, 1, axis=1).reshape(n, per)
    new = jnp.where((t < lengths)[:, None], old, drawn)
    return jax.lax.dynamic_update_slice_in_dim(flat, new.reshape(n, 1, per), pos, axis=1), state

  flat = canvas.reshape(n, steps, per).astype(jnp.float32)
  state = stepper.start(flat.reshape(canvas.shape), start)
  flat, _ = jax.lax.fori_loop(start, steps, body, (flat, state))
  return flat.reshape(canvas.shape)


def sample(stepper, head, key, shape) -> jax.Array:
  """num draws of shape [N, H, W, C] from scratch."""
  return complete(stepper, head, key, jnp.zeros(shape, jnp.float32),
                  np.zeros(shape[0], np.int64))


def rows_observed(shape, rows: int) -> np.ndarray:
  """The mask [N, H, W, C] that observes the top `rows` rows."""
  mask = np.zeros(shape, bool)
  mask[:, :rows] = True
  return mask
