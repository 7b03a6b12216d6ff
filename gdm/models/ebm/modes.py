"""The EBM's launcher modes (`--mode=NAME`): uses of one unnormalised density.

Each is mode(ebm, params, model_state, batch, key) -> {name: array} on a prepared evaluation
batch; images come back as [rows, cols, H, W, C] grids, vectors as [N, D] point clouds.
  denoise      Gaussian noise (std model.restore.corrupt_std) added, then removed by
               model.restore.steps of energy descent (SGLD with noise model.restore.noise)
  inpaint      the bottom half of each image (last coordinate of a vector) replaced by
               uniform noise and filled in by energy descent with the observed part fixed
  ood          energy as an out-of-distribution score: AUROC of data against uniform noise
               (and, for images, against the same images with their pixels shuffled); the
               batch ordered by energy as its picture
  conditional  (class-conditional models) one row of samples per class
`captions` labels their pictures.
"""
import jax
import jax.numpy as jnp

from gdm.applications import latent
from gdm.metrics.auroc import auroc
from gdm.models.ebm import family
from gdm.sampling.replay_buffer import uniform_noise
from gdm.train.pictures import class_columns, class_labels
from gdm.utils.captions import GridLabels

GRID_COLS = 8


def per_example_mse(a, b, weight=None):
  w = jnp.ones_like(a) if weight is None else jnp.broadcast_to(weight, a.shape).astype(a.dtype)
  n = a.shape[0]
  return ((a - b) ** 2 * w).reshape(n, -1).sum(1) / w.reshape(n, -1).sum(1)


def head(ebm, batch):
  """The examples a mode shows: a grid row for images, the whole batch for vectors."""
  x = batch['x']
  n = min(GRID_COLS, x.shape[0]) if ebm.info.is_image else x.shape[0]
  return x[:n], (batch['y'][:n] if ebm.num_classes else None)


def restore(ebm, params, model_state, x0, y, key, update=None):
  """Energy descent from x0 with the restore settings (update: the entries that move)."""
  r = ebm.m.restore
  return family.descend(ebm, params['model'], model_state, x0, y, key, r.steps, r.noise,
                        update)


def denoise(ebm, params, model_state, batch, key):
  k_noise, k_run = jax.random.split(key)
  x, y = head(ebm, batch)
  noise = jax.random.normal(k_noise, (x.size,)).reshape(x.shape)
  noisy = jnp.clip(x + ebm.m.restore.corrupt_std * noise, *ebm.bounds)
  restored = restore(ebm, params, model_state, noisy, y, k_run)
  out = {'mse_noisy': per_example_mse(noisy, x), 'mse_restored': per_example_mse(restored, x)}
  if ebm.info.is_image:
    return {'denoise': jnp.stack([noisy, restored, x]), **out}
  return {'x': x, 'noisy': noisy, 'restored': restored, **out}


def inpaint(ebm, params, model_state, batch, key):
  k_fill, k_run = jax.random.split(key)
  x, y = head(ebm, batch)
  if ebm.info.is_image:
    observed = (jnp.arange(x.shape[1]) < x.shape[1] // 2)[None, :, None, None]
  else:
    observed = (jnp.arange(x.shape[1]) < x.shape[1] - 1)[None, :]
  observed = jnp.broadcast_to(observed, x.shape)
  start = jnp.where(observed, x, uniform_noise(k_fill, x.shape, *ebm.bounds))
  filled = restore(ebm, params, model_state, start, y, k_run, update=~observed)
  out = {'missing_mse': per_example_mse(filled, x, ~observed),
         'start_mse': per_example_mse(start, x, ~observed)}
  if ebm.info.is_image:
    return {'inpaint': jnp.stack([start, filled, x]), **out}
  return {'observed': jnp.where(observed, x, 0.0), 'inpainted': filled, **out}


def ood(ebm, params, model_state, batch, key):
  k_noise, k_perm = jax.random.split(key)
  p, x = params['model'], batch['x']
  e_data = family.energy(ebm, p, model_state, x)
  e_noise = family.energy(ebm, p, model_state, uniform_noise(k_noise, x.shape, *ebm.bounds))
  out = {'energy_data': e_data, 'energy_noise': e_noise, 'auroc_noise': auroc(e_data, e_noise),
         **latent.ranked(x, e_data, ebm.info.is_image)}
  if ebm.info.is_image:   # same pixel values, no spatial structure
    flat = x.reshape(x.shape[0], -1, x.shape[-1])
    perm = jax.random.permutation(k_perm, flat.shape[1])
    e_shuffled = family.energy(ebm, p, model_state, flat[:, perm].reshape(x.shape))
    out.update(energy_shuffled=e_shuffled, auroc_shuffled=auroc(e_data, e_shuffled))
  return out


def conditional(ebm, params, model_state, batch, key):
  c = ebm.num_classes
  y = jnp.repeat(jnp.arange(c), GRID_COLS)
  out = family.generate(ebm, params['model'], model_state, key, c * GRID_COLS, y)
  if ebm.info.is_image:
    return {'samples': out.reshape((c, GRID_COLS) + out.shape[1:])}
  return {'samples': out, 'labels': y}


MODES = {'denoise': denoise, 'inpaint': inpaint, 'ood': ood}
CONDITIONAL_MODES = {'conditional': conditional}   # only for class-conditional models


def modes_of(ebm) -> dict:
  """The modes an EBM offers: MODES, and CONDITIONAL_MODES for a class-conditional one."""
  return {**MODES, **(CONDITIONAL_MODES if ebm.num_classes else {})}


def captions(ebm) -> dict[str, GridLabels]:
  out = {'negatives': GridLabels(rows=('data', 'negatives')),   # family.visualize
         'denoise/denoise': GridLabels(rows=('noisy', 'restored', 'original')),
         'inpaint/inpaint': GridLabels(rows=('start', 'inpainted', 'original')),
         'ood/ranked': latent.RANKED_LABELS}
  if ebm.num_classes:
    out['conditional/samples'] = GridLabels(rows=class_labels(ebm.num_classes))
    if ebm.m.sampling.init != 'buffer':   # family.sample cycles through the classes
      out.update(class_columns(ebm.num_classes))
  return out
