"""The EBM's launcher modes (`--mode=NAME`): uses of one unnormalised density.

Each is mode(params, model_state, batch, key) -> {name: array} on a prepared evaluation
batch; images come back as [rows, cols, H, W, C] grids, vectors as [N, D] point clouds.
  denoise      Gaussian noise (std model.corrupt_std) added, then removed by
               model.restore_steps of energy descent (SGLD with noise model.restore_noise)
  inpaint      the bottom half of each image (last coordinate of a vector) replaced by
               uniform noise and filled in by energy descent with the observed part fixed
  ood          energy as an out-of-distribution score: AUROC of data against uniform noise
               (and, for images, against the same images with their pixels shuffled)
  conditional  (class-conditional models) one row of samples per class
"""
import dataclasses
from typing import Callable

import jax
import jax.numpy as jnp

from gdm.metrics.auroc import auroc
from gdm.sampling.replay_buffer import uniform_noise

GRID_COLS = 8


@dataclasses.dataclass(frozen=True)
class Tools:
  """What the modes need from an EBM (functions of params['model'] and model_state)."""
  energy: Callable      # (p, ms, x, y=None) -> [B]; y=None: the class-free energy
  chain: Callable       # (p, ms, x0, y, key, num_steps, noise_scale, update=None) -> x
  generate: Callable    # (p, ms, key, num, y=None) -> samples from noise
  is_image: bool
  num_classes: int
  bounds: tuple[float, float]
  corrupt_std: float
  restore_steps: int
  restore_noise: float


def _per_example_mse(a, b, weight=None):
  w = jnp.ones_like(a) if weight is None else jnp.broadcast_to(weight, a.shape).astype(a.dtype)
  n = a.shape[0]
  return ((a - b) ** 2 * w).reshape(n, -1).sum(1) / w.reshape(n, -1).sum(1)


def make_modes(t: Tools) -> dict[str, Callable]:

  def head(batch):
    """The examples a mode shows: a grid row for images, the whole batch for vectors."""
    x = batch['x']
    n = min(GRID_COLS, x.shape[0]) if t.is_image else x.shape[0]
    return x[:n], (batch['y'][:n] if t.num_classes else None)

  def restore(params, model_state, x0, y, key, update=None):
    return t.chain(params['model'], model_state, x0, y, key, t.restore_steps,
                   t.restore_noise, update)

  def denoise(params, model_state, batch, key):
    k_noise, k_run = jax.random.split(key)
    x, y = head(batch)
    noise = jax.random.normal(k_noise, (x.size,)).reshape(x.shape)
    noisy = jnp.clip(x + t.corrupt_std * noise, *t.bounds)
    restored = restore(params, model_state, noisy, y, k_run)
    out = {'mse_noisy': _per_example_mse(noisy, x), 'mse_restored': _per_example_mse(restored, x)}
    if t.is_image:
      return {'denoise': jnp.stack([noisy, restored, x]), **out}
    return {'x': x, 'noisy': noisy, 'restored': restored, **out}

  def inpaint(params, model_state, batch, key):
    k_fill, k_run = jax.random.split(key)
    x, y = head(batch)
    if t.is_image:
      observed = (jnp.arange(x.shape[1]) < x.shape[1] // 2)[None, :, None, None]
    else:
      observed = (jnp.arange(x.shape[1]) < x.shape[1] - 1)[None, :]
    observed = jnp.broadcast_to(observed, x.shape)
    start = jnp.where(observed, x, uniform_noise(k_fill, x.shape, *t.bounds))
    filled = restore(params, model_state, start, y, k_run, update=~observed)
    out = {'missing_mse': _per_example_mse(filled, x, ~observed),
           'start_mse': _per_example_mse(start, x, ~observed)}
    if t.is_image:
      return {'inpaint': jnp.stack([start, filled, x]), **out}
    return {'observed': jnp.where(observed, x, 0.0), 'inpainted': filled, **out}

  def ood(params, model_state, batch, key):
    k_noise, k_perm = jax.random.split(key)
    p, x = params['model'], batch['x']
    e_data = t.energy(p, model_state, x)
    e_noise = t.energy(p, model_state, uniform_noise(k_noise, x.shape, *t.bounds))
    out = {'energy_data': e_data, 'energy_noise': e_noise, 'auroc_noise': auroc(e_data, e_noise)}
    if t.is_image:   # same pixel values, no spatial structure
      flat = x.reshape(x.shape[0], -1, x.shape[-1])
      perm = jax.random.permutation(k_perm, flat.shape[1])
      e_shuffled = t.energy(p, model_state, flat[:, perm].reshape(x.shape))
      out.update(energy_shuffled=e_shuffled, auroc_shuffled=auroc(e_data, e_shuffled))
    return out

  def conditional(params, model_state, batch, key):
    c = t.num_classes
    y = jnp.repeat(jnp.arange(c), GRID_COLS)
    out = t.generate(params['model'], model_state, key, c * GRID_COLS, y)
    if t.is_image:
      return {'samples': out.reshape((c, GRID_COLS) + out.shape[1:])}
    return {'samples': out, 'labels': y}

  modes = {'denoise': denoise, 'inpaint': inpaint, 'ood': ood}
  if t.num_classes:
    modes['conditional'] = conditional
  return modes
