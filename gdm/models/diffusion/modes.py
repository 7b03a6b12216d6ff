"""The diffusion family's launcher modes (`--mode=NAME`): mode(d, params, model_state, batch,
key) -> {name: array}, run on a prepared evaluation batch.

  inpaint           (processes offering it: ddpm) fill in the region model.inpaint_mask marks
                    missing (model.inpaint_method: replace, or RePaint with
                    model.repaint_resample repeats of every step)
  denoise           (processes offering it: ddpm) the batch plus Gaussian noise of std
                    model.denoise_sigma (data units), denoised by the reverse chain from the
                    matching noise level (SDEdit-style, Meng et al., 2022)
  super_resolution  (model.low_res_size > 0) samples conditioned on the batch's low-resolution
                    images
  reconstruct       (latent diffusion) the batch and the frozen first stage's reconstructions
                    (what `experiments.evaluate --mode=reconstructions` scores as rFID); the
                    other modes work on pixels and are not offered in latent space
Images come back as [rows, cols, H, W, C] grids (input / result / original) plus a
per-example error on the region the model filled in; `captions` labels the pictures.
"""
import jax
import jax.numpy as jnp

from gdm.models.diffusion import family
from gdm.models.diffusion import latent as latent_lib
from gdm.train.pictures import class_columns
from gdm.utils.captions import GridLabels

GRID_COLS = 8


def mse(a, b, weight=None):
  """Per-example mean squared error (over the weighted region)."""
  sq = (a - b) ** 2 if weight is None else (a - b) ** 2 * weight
  n = a.reshape(a.shape[0], -1).shape[1] if weight is None else weight.reshape(
      weight.shape[0], -1).sum(1)
  return sq.reshape(a.shape[0], -1).sum(1) / n


def grid_or_points(d, name: str, rows: list, errors: dict):
  if d.info.is_image:
    return {name: jnp.stack(rows), **errors}
  return {'input': rows[0], 'result': rows[1], 'original': rows[2], **errors}


def take(d, batch):
  """(x_0, labels, condition) of the examples a mode shows."""
  n = min(GRID_COLS, batch['x'].shape[0]) if d.info.is_image else batch['x'].shape[0]
  return batch['x'][:n].astype(jnp.float32), *family.conditioning(d, batch, n)


def inpaint(d, params, model_state, batch, key):
  x0, y, cond = take(d, batch)
  mask = jnp.asarray(d.mask)
  resample = d.m.repaint_resample if d.m.inpaint_method == 'repaint' else 1
  out = d.process.inpaint(key, family.output_fn(d, params['model'], y, cond), x0, mask,
                          resample)
  err = mse(out, x0, jnp.broadcast_to(1 - mask, x0.shape))
  return grid_or_points(d, 'inpainting', [x0 * mask, out, x0], {'missing_mse': err})


def denoise(d, params, model_state, batch, key):
  x0, y, cond = take(d, batch)
  k_noise, k_run = jax.random.split(key)
  noisy = x0 + d.m.denoise_sigma * jax.random.normal(k_noise, x0.shape)
  out = d.process.denoise(k_run, family.output_fn(d, params['model'], y, cond), noisy,
                          d.m.denoise_sigma)
  return grid_or_points(d, 'denoising', [noisy, out, x0],
                        {'noisy_mse': mse(noisy, x0), 'denoised_mse': mse(out, x0)})


def super_resolution(d, params, model_state, batch, key):
  x0, y, cond = take(d, batch)
  out = family.generate(d, params['model'], key, x0.shape[0], y, cond)
  return grid_or_points(d, 'super_resolution', [cond, out, x0],
                        {'bicubic_mse': mse(cond, x0), 'sample_mse': mse(out, x0)})


def reconstruct(d, params, model_state, batch, key):
  x = batch['x'].astype(jnp.float32)
  return {'inputs': x,
          'reconstructions': latent_lib.reconstruct(d.latent, model_state['latent'], x, key)}


MODES = {'inpaint': inpaint, 'denoise': denoise, 'super_resolution': super_resolution,
         'reconstruct': reconstruct}


def offered(d, name: str) -> bool:
  """Whether this model has mode `name`: super-resolution models have super_resolution; the
  others are the process's own (its `modes`); latent diffusion has reconstruct alone."""
  if d.latent is not None or name == 'reconstruct':
    return d.latent is not None and name == 'reconstruct'
  if name == 'super_resolution':
    return bool(d.m.low_res_size)
  return name in d.process.modes


def captions(d) -> dict[str, GridLabels]:
  return {'denoising': GridLabels(rows=('noisy', 'predicted x0')),   # family.visualize
          'inpaint/inpainting': GridLabels(rows=('masked', 'inpainted', 'original')),
          'denoise/denoising': GridLabels(rows=('noisy', 'denoised', 'original')),
          'super_resolution/super_resolution': GridLabels(
              rows=('low-res', 'sample', 'original')),
          **class_columns(d.num_classes)}
