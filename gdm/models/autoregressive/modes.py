"""The autoregressive launcher modes (`--mode=NAME`): mode(ar, params, model_state, batch,
key) -> {name: array} on a prepared evaluation batch; `captions` labels the pictures."""

import jax.numpy as jnp
import numpy as np

from gdm.models.autoregressive import family, sampling
from gdm.train.pictures import class_columns
from gdm.utils.captions import GridLabels

GRID_COLS = 8


def inpaint(ar: family.Autoregressive, params, model_state, batch, key):
  """`--mode=inpaint`: the bottom rows given the top `model.inpaint_rows` (half by default;
  for a vector, the last coordinate given the others): [observed (the rest blank; for a
  VQ-VAE prior the reconstruction), completion, original]."""
  info, grid_shape = ar.info, ar.grid_shape
  n = min(GRID_COLS, batch['x'].shape[0]) if info.is_image else batch['x'].shape[0]
  x = batch['x'][:n]
  y = family.labels(ar, batch)
  y = None if y is None else y[:n]
  grid = family.to_grid(ar, model_state, x)
  rows = ar.m.inpaint_rows or grid_shape[0] // 2
  if ar.codes is not None:    # rows of the image -> rows of the code map
    rows = max(1, rows * grid_shape[0] // info.shape[0])
  observed = (sampling.rows_observed(grid.shape, rows) if grid_shape[0] > 1 else
              np.broadcast_to(np.arange(grid_shape[1])[None, None, :, None]
                              < grid_shape[1] - 1, grid.shape))
  lengths = sampling.prefix_lengths(observed, ar.head.pixel_wise, ar.net.order)
  filled = sampling.complete(family.stepper(ar, params, y), ar.head, key, grid * observed,
                             lengths)
  if not info.is_image:
    return {'observed': x[:, :-1], 'completion': family.from_grid(ar, model_state, filled)}
  if ar.codes is None:   # the observed rows over a blank (0) rest
    shown = jnp.where(jnp.asarray(observed).reshape(x.shape), x, 0.0)
  else:                  # the VQ-VAE's reconstruction from the full code map
    shown = family.from_grid(ar, model_state, grid)
  return {'inpainting': jnp.stack([shown, family.from_grid(ar, model_state, filled), x])}


MODES = {'inpaint': inpaint}


def captions(ar: family.Autoregressive) -> dict[str, GridLabels]:
  shown = 'observed' if ar.codes is None else 'vq-vae recon'
  return {'inpaint/inpainting': GridLabels(rows=(shown, 'completion', 'original')),
          **class_columns(ar.num_classes)}
