"""StyleGAN2's launcher modes (`--mode=NAME`), from the EMA params; images come back as
[rows, cols, H, W, C] grids. Within a grid every image gets the same noise maps, so only the
styles differ; samples are truncated by `sample.truncation_psi` except in `truncation`.
  style_mixing  (StyleGAN Fig. 3) two grids whose first row holds sources B and first column
                sources A (the corner is blank, 0 in data space); cell (i, j) takes A_i's
                styles with B_j's in the coarse (first half of the layers: pose, shape) or
                the fine (second half: colour, texture) layers
  interpolate   rows between pairs of random samples: spherical in Z (the perceptual path
                length's Z paths) and linear in W
  truncation    (StyleGAN Fig. 8) one row per psi in TRUNCATION_PSIS, the same ws in every
                row; the psi = 0 row is the mean w's image
"""
import jax
import jax.numpy as jnp

from gdm.applications import latent
from gdm.models.gan.family import GRID_COLS
from gdm.models.gan.stylegan2_family import (StyleGAN2, draw_w, map_z, sampling_ws,
                                             synthesize)
from gdm.models.gan.stylegan2_latents import broadcast, truncate

ROWS = 4
MIX_COLS = 4
TRUNCATION_PSIS = (1.0, 0.7, 0.5, 0.0, -0.5, -1.0)   # negative psi: the "anti" samples


def _images(sg: StyleGAN2, gp, ws, key, rows, cols):
  return synthesize(sg, gp, ws, key, shared_noise=True).reshape(
      (rows, cols) + tuple(sg.info.shape))


def style_mixing(sg: StyleGAN2, params, model_state, batch, key):
  gp = params['generator']
  k_a, k_b, k_noise = jax.random.split(key, 3)
  a = sampling_ws(sg, model_state, draw_w(sg, gp, k_a, ROWS), sg.truncation_psi)
  b = sampling_ws(sg, model_state, draw_w(sg, gp, k_b, MIX_COLS), sg.truncation_psi)
  half = sg.num_ws // 2
  layer = jnp.arange(sg.num_ws)[None, None, :, None]
  a_cells, b_cells = a[:, None], b[None, :]
  sources = _images(sg, gp, jnp.concatenate([a, b]), k_noise, 1, ROWS + MIX_COLS)[0]
  blank = jnp.zeros((1,) + tuple(sg.info.shape))
  top = jnp.concatenate([blank, sources[ROWS:]])[None]
  out = {}
  for name, from_b in (('coarse', layer < half), ('fine', layer >= half)):
    ws = jnp.where(from_b, b_cells, a_cells).reshape(ROWS * MIX_COLS, sg.num_ws, -1)
    cells = _images(sg, gp, ws, k_noise, ROWS, MIX_COLS)
    body = jnp.concatenate([sources[:ROWS, None], cells], axis=1)
    out[name] = jnp.concatenate([top, body])
  return out


def interpolate(sg: StyleGAN2, params, model_state, batch, key):
  gp = params['generator']
  k_z, k_noise = jax.random.split(key)
  z = jax.random.normal(k_z, (2 * ROWS, sg.m.latent_dim))
  z_path = jax.vmap(lambda a, b: latent.slerp(a, b, GRID_COLS))(z[:ROWS], z[ROWS:])
  w = map_z(sg, gp, z)
  w_path = jax.vmap(lambda a, b: latent.lerp(a, b, GRID_COLS))(w[:ROWS], w[ROWS:])
  out = {}
  for name, ws in (('z', map_z(sg, gp, z_path.reshape(ROWS * GRID_COLS, -1))),
                   ('w', w_path.reshape(ROWS * GRID_COLS, -1))):
    out[name] = _images(sg, gp, sampling_ws(sg, model_state, ws, sg.truncation_psi),
                        k_noise, ROWS, GRID_COLS)
  return out


def truncation(sg: StyleGAN2, params, model_state, batch, key):
  gp = params['generator']
  k_w, k_noise = jax.random.split(key)
  ws = broadcast(draw_w(sg, gp, k_w, GRID_COLS), sg.num_ws)
  rows = jnp.concatenate([truncate(ws, model_state['w_avg'], psi) for psi in TRUNCATION_PSIS])
  return {'truncation': _images(sg, gp, rows, k_noise, len(TRUNCATION_PSIS), GRID_COLS),
          'psi': jnp.asarray(TRUNCATION_PSIS)}


MODES = {'style_mixing': style_mixing, 'interpolate': interpolate, 'truncation': truncation}
