"""The GAN's launcher modes (`--mode=NAME`), built on gdm.applications.latent.

Each is mode(params, model_state, batch, key) -> {name: array}; images come back as
[rows, cols, H, W, C] grids, vectors as [N, D] point clouds. Labels (conditional models) are
taken from the evaluation batch; InfoGAN codes are drawn once per row.
  interpolate  G along linear and spherical paths between pairs of random z
  arithmetic   G(a), G(b), G(c) and G(a - b + c), each of a, b, c the mean of three random
               z (Radford et al., 2016, Sec. 6.3 average three exemplars per concept)
  conditional  (conditional models) one row per class, one z per column
  codes        (InfoGAN) one row per value of the categorical code (rows of random settings
               without one); along each row the first continuous code sweeps -2..2 with z
               fixed, or, without continuous codes, z varies
"""
import dataclasses
from typing import Callable

import jax
import jax.numpy as jnp

from gdm.applications import latent

GRID_COLS = 8
ROWS = 4
EXEMPLARS = 3


@dataclasses.dataclass(frozen=True)
class Tools:
  draw: Callable          # (key, n) -> (z, codes)
  generate: Callable      # (p, z, y, codes) -> data-space samples
  labels: Callable        # batch -> y or None
  is_image: bool
  num_classes: int
  info_categorical: int
  info_continuous: int


def _repeat_rows(tree, times):
  return jax.tree.map(lambda v: jnp.repeat(v, times, axis=0), tree)


def _grid(out, rows, cols, is_image):
  return out.reshape((rows, cols) + out.shape[1:]) if is_image else out


def make_modes(t: Tools) -> dict[str, Callable]:

  def row_labels(batch, rows):
    y = t.labels(batch)
    return None if y is None else y[jnp.arange(rows) % y.shape[0]]

  def interpolate(params, model_state, batch, key):
    p = params['generator']
    k_ends, k_codes = jax.random.split(key)
    z, _ = t.draw(k_ends, 2 * ROWS)
    _, codes = t.draw(k_codes, ROWS)
    y = row_labels(batch, ROWS)
    y_rows = None if y is None else jnp.repeat(y, GRID_COLS)
    out = {}
    for name, path in (('linear', latent.lerp), ('spherical', latent.slerp)):
      zs = jax.vmap(lambda a, b: path(a, b, GRID_COLS))(z[:ROWS], z[ROWS:])
      imgs = t.generate(p, zs.reshape(ROWS * GRID_COLS, -1), y_rows,
                        _repeat_rows(codes, GRID_COLS))
      out[name] = _grid(imgs, ROWS, GRID_COLS, t.is_image)
    return out

  def arithmetic(params, model_state, batch, key):
    p = params['generator']
    k_z, k_codes = jax.random.split(key)
    z, _ = t.draw(k_z, 3 * EXEMPLARS * ROWS)
    a, b, c = z.reshape(3, ROWS, EXEMPLARS, -1).mean(2)
    zs = jnp.stack([a, b, c, latent.latent_arithmetic(a, b, c)], 1).reshape(4 * ROWS, -1)
    _, codes = t.draw(k_codes, ROWS)
    y = row_labels(batch, ROWS)
    imgs = t.generate(p, zs, None if y is None else jnp.repeat(y, 4), _repeat_rows(codes, 4))
    return {'arithmetic': _grid(imgs, ROWS, 4, t.is_image), 'z': zs}

  def conditional(params, model_state, batch, key):
    c = t.num_classes
    z, codes = t.draw(key, GRID_COLS)
    y = jnp.repeat(jnp.arange(c), GRID_COLS)
    tile = lambda v: jnp.tile(v, (c,) + (1,) * (v.ndim - 1))
    out = t.generate(params['generator'], tile(z), y, jax.tree.map(tile, codes))
    if t.is_image:
      return {'samples': _grid(out, c, GRID_COLS, True)}
    return {'samples': out, 'labels': y}

  def codes(params, model_state, batch, key):
    rows = t.info_categorical or ROWS
    n = rows * GRID_COLS
    z, drawn = t.draw(key, GRID_COLS)
    z = jnp.tile(z, (rows, 1)) if not t.info_continuous else jnp.repeat(z[:1], n, axis=0)
    sweep = jnp.tile(jnp.linspace(-2.0, 2.0, GRID_COLS), rows)
    new = {}
    if t.info_categorical:
      new['cat'] = jnp.repeat(jnp.arange(rows), GRID_COLS)
    if t.info_continuous:
      cont = jnp.repeat(drawn['cont'][:1], n, axis=0)
      if not t.info_categorical:     # rows: a few settings of the other continuous codes
        cont = jnp.repeat(jax.random.uniform(key, (rows, t.info_continuous), minval=-1.0,
                                             maxval=1.0), GRID_COLS, axis=0)
      new['cont'] = cont.at[:, 0].set(sweep)
    y = row_labels(batch, 1)
    out = t.generate(params['generator'], z, None if y is None else jnp.repeat(y, n), new)
    return {'codes': _grid(out, rows, GRID_COLS, t.is_image)}

  modes = {'interpolate': interpolate, 'arithmetic': arithmetic}
  if t.num_classes:
    modes['conditional'] = conditional
  if t.info_categorical or t.info_continuous:
    modes['codes'] = codes
  return modes
