"""The diffusion family's launcher modes (`--mode=NAME`), run on a prepared evaluation batch:

  inpaint           (ddpm) fill in the region model.inpaint_mask marks missing: after every
                    reverse step the known region is replaced by a draw of q(x_{t-1} | x_0)
                    (inpaint_method='replace'), optionally with RePaint resampling
                    (inpaint_method='repaint': each step repeated repaint_resample times,
                    going back up one step in between; Lugmayr et al., 2022, jump length 1)
  denoise           (ddpm) the batch plus Gaussian noise of std model.denoise_sigma (data
                    units) is x_t / sqrt(alpha_bar_t) at the t whose noise matches; the
                    reverse chain starts there (SDEdit-style, Meng et al., 2022)
  super_resolution  (model.low_res_size > 0) samples conditioned on the batch's low-resolution
                    images
Images come back as [rows, cols, H, W, C] grids (input / result / original) plus a
per-example error on the region the model filled in.
"""
import dataclasses
from typing import Any, Callable

import jax
import jax.numpy as jnp

from gdm.diffusion import samplers, schedules
from gdm.models.diffusion_config import inpaint_mask

GRID_COLS = 8


@dataclasses.dataclass(frozen=True)
class Tools:
  config: Any                # config.model
  info: Any
  generate: Callable         # (p, key, num, y, cond, x_init=None) -> data-space samples
  conditioning: Callable     # (batch, n) -> (y, cond)
  sched: Any                 # ddpm only
  eps_fn: Callable | None    # ddpm: (p, y, cond) -> eps_fn(x, t)
  clip: Any


def _mse(a, b, weight=None):
  sq = (a - b) ** 2 if weight is None else (a - b) ** 2 * weight
  n = a.reshape(a.shape[0], -1).shape[1] if weight is None else weight.reshape(
      weight.shape[0], -1).sum(1)
  return sq.reshape(a.shape[0], -1).sum(1) / n


def _grid_or_points(t: Tools, name: str, rows: list, errors: dict):
  if t.info.is_image:
    return {name: jnp.stack(rows), **errors}
  return {'input': rows[0], 'result': rows[1], 'original': rows[2], **errors}


def make_modes(t: Tools) -> dict[str, Callable]:
  m, modes = t.config, {}

  def take(batch):
    n = min(GRID_COLS, batch['x'].shape[0]) if t.info.is_image else batch['x'].shape[0]
    return batch['x'][:n].astype(jnp.float32), *t.conditioning(batch, n)

  if m.process == 'ddpm':
    mask = jnp.asarray(inpaint_mask(m, t.info))
    resample = m.repaint_resample if m.inpaint_method == 'repaint' else 1

    def inpaint(params, model_state, batch, key):
      x0, y, cond = take(batch)
      k_init, k_run = jax.random.split(key)

      def project(x, t_prev, k):
        noise = jax.random.normal(k, x.shape)
        tb = jnp.full((x.shape[0],), jnp.maximum(t_prev, 0))
        known = jnp.where(t_prev >= 0, schedules.q_sample(t.sched, x0, tb, noise), x0)
        return mask * known + (1 - mask) * x

      x = jax.random.normal(k_init, x0.shape)
      out = samplers.ddpm_ancestral(k_run, t.eps_fn(params['model'], y, cond), t.sched, x,
                                    t.clip, project=project, resample=resample)
      err = _mse(out, x0, jnp.broadcast_to(1 - mask, x0.shape))
      return _grid_or_points(t, 'inpainting', [x0 * mask, out, x0], {'missing_mse': err})

    def denoise(params, model_state, batch, key):
      x0, y, cond = take(batch)
      k_noise, k_run = jax.random.split(key)
      noisy = x0 + m.denoise_sigma * jax.random.normal(k_noise, x0.shape)
      start = schedules.noise_level_index(t.sched, m.denoise_sigma)
      ab = t.sched.alpha_bar[start]
      out = samplers.ddpm_ancestral(k_run, t.eps_fn(params['model'], y, cond), t.sched,
                                    jnp.sqrt(ab) * noisy, t.clip, start=start)
      return _grid_or_points(t, 'denoising', [noisy, out, x0],
                             {'noisy_mse': _mse(noisy, x0), 'denoised_mse': _mse(out, x0)})

    modes.update(inpaint=inpaint, denoise=denoise)

  if m.low_res_size:
    def super_resolution(params, model_state, batch, key):
      x0, y, cond = take(batch)
      out = t.generate(params['model'], key, x0.shape[0], y, cond)
      return _grid_or_points(t, 'super_resolution', [cond, out, x0],
                             {'bicubic_mse': _mse(cond, x0), 'sample_mse': _mse(out, x0)})

    modes['super_resolution'] = super_resolution
  return modes
