"""The GAN's launcher modes (`--mode=NAME`), built on gdm.applications.latent.

Each is mode(gan, params, model_state, batch, key) -> {name: array}; images come back as
[rows, cols, H, W, C] grids, vectors as [N, D] point clouds. Labels (conditional models) are
taken from the evaluation batch; InfoGAN codes are drawn once per row.
  interpolate  G along linear and spherical paths between pairs of random z
  arithmetic   G(a), G(b), G(c) and G(a - b + c), each of a, b, c the mean of three random
               z (Radford et al., 2016, Sec. 6.3 average three exemplars per concept)
  conditional  (conditional models) one row per class, one z per column
  codes        (InfoGAN) one row per value of the categorical code (rows of random settings
               without one); along each row the first continuous code sweeps -2..2 with z
               fixed, or, without continuous codes, z varies
`captions` labels their pictures.
"""
import jax
import jax.numpy as jnp

from gdm.applications import latent
from gdm.models.gan.family import GAN, GRID_COLS, class_grid, draw, generate, grid, labels
from gdm.train.pictures import class_columns, class_labels
from gdm.utils.captions import GridLabels

ROWS = 4
EXEMPLARS = 3


def _repeat_rows(tree, times):
  return jax.tree.map(lambda v: jnp.repeat(v, times, axis=0), tree)


def _row_labels(gan: GAN, batch, rows):
  y = labels(gan, batch)
  return None if y is None else y[jnp.arange(rows) % y.shape[0]]


def interpolate(gan: GAN, params, model_state, batch, key):
  p = params['generator']
  k_ends, k_codes = jax.random.split(key)
  z, _ = draw(gan, k_ends, 2 * ROWS)
  _, codes = draw(gan, k_codes, ROWS)
  y = _row_labels(gan, batch, ROWS)
  y_rows = None if y is None else jnp.repeat(y, GRID_COLS)
  out = {}
  for name, path in (('linear', latent.lerp), ('spherical', latent.slerp)):
    zs = jax.vmap(lambda a, b: path(a, b, GRID_COLS))(z[:ROWS], z[ROWS:])
    imgs = generate(gan, p, zs.reshape(ROWS * GRID_COLS, -1), y_rows,
                    _repeat_rows(codes, GRID_COLS), model_state)
    out[name] = grid(gan, imgs, ROWS, GRID_COLS)
  return out


def arithmetic(gan: GAN, params, model_state, batch, key):
  p = params['generator']
  k_z, k_codes = jax.random.split(key)
  z, _ = draw(gan, k_z, 3 * EXEMPLARS * ROWS)
  a, b, c = z.reshape(3, ROWS, EXEMPLARS, -1).mean(2)
  zs = jnp.stack([a, b, c, latent.latent_arithmetic(a, b, c)], 1).reshape(4 * ROWS, -1)
  _, codes = draw(gan, k_codes, ROWS)
  y = _row_labels(gan, batch, ROWS)
  imgs = generate(gan, p, zs, None if y is None else jnp.repeat(y, 4), _repeat_rows(codes, 4),
                  model_state)
  return {'arithmetic': grid(gan, imgs, ROWS, 4), 'z': zs}


def conditional(gan: GAN, params, model_state, batch, key):
  return class_grid(gan, params, key, model_state)


def codes(gan: GAN, params, model_state, batch, key):
  n_cat, n_cont = gan.m.info_categorical, gan.m.info_continuous
  rows = n_cat or ROWS
  n = rows * GRID_COLS
  z, drawn = draw(gan, key, GRID_COLS)
  z = jnp.tile(z, (rows, 1)) if not n_cont else jnp.repeat(z[:1], n, axis=0)
  sweep = jnp.tile(jnp.linspace(-2.0, 2.0, GRID_COLS), rows)
  new = {}
  if n_cat:
    new['cat'] = jnp.repeat(jnp.arange(rows), GRID_COLS)
  if n_cont:
    cont = jnp.repeat(drawn['cont'][:1], n, axis=0)
    if not n_cat:     # rows: a few settings of the other continuous codes
      cont = jnp.repeat(jax.random.uniform(key, (rows, n_cont), minval=-1.0, maxval=1.0),
                        GRID_COLS, axis=0)
    new['cont'] = cont.at[:, 0].set(sweep)
  y = _row_labels(gan, batch, 1)
  out = generate(gan, params['generator'], z, None if y is None else jnp.repeat(y, n), new,
                 model_state)
  return {'codes': grid(gan, out, rows, GRID_COLS)}


MODES = {'interpolate': interpolate, 'arithmetic': arithmetic, 'conditional': conditional,
         'codes': codes}


def available(gan: GAN) -> tuple[str, ...]:
  """The modes this model has: `conditional` needs labels, `codes` InfoGAN codes."""
  return tuple(name for name in MODES
               if (name != 'conditional' or gan.num_classes)
               and (name != 'codes' or gan.has_codes))


def captions(gan: GAN) -> dict[str, GridLabels]:
  out = {'arithmetic/arithmetic': GridLabels(cols=('a', 'b', 'c', 'a-b+c'))}
  if gan.num_classes:   # visualize's 'samples' is the class grid (family.class_grid)
    classes = GridLabels(rows=class_labels(gan.num_classes))
    out.update(class_columns(gan.num_classes), samples=classes)
    out['conditional/samples'] = classes
  if gan.m.info_categorical:
    out['codes/codes'] = GridLabels(
        rows=tuple(f'c={k}' for k in range(gan.m.info_categorical)))
  return out
