"""The VAE's launcher modes (`--mode=NAME`), built on gdm.applications.latent.

Each is mode(vae, params, model_state, batch, key) -> {name: array} on a prepared evaluation
batch; images come back as [rows, cols, H, W, C] grids, vectors as [N, D] point clouds.
  reconstruct  inputs over their reconstructions
  interpolate  decoded linear and spherical paths between the codes of pairs of inputs
  impute       the bottom half of each image (last coordinate of a vector) filled in
  anomaly      per-example scores: IWAE negative log-likelihood and negative ELBO
  conditional  (conditional VAEs only) one row per class, one prior draw per column
`captions` labels their pictures.
Like the training grids, these pictures show decoder means E[x | z]; --mode=sample draws x.
"""
import functools

import jax
import jax.numpy as jnp

from gdm.applications import latent
from gdm.models.vae import family
from gdm.models.vae.family import VAE
from gdm.train.pictures import class_columns, class_labels
from gdm.utils.captions import GridLabels

GRID_COLS = 8


def _first(y, n):
  return None if y is None else y[:n]


def reconstruct(vae: VAE, params, model_state, batch, key):
  p, x, y = params['model'], batch['x'], family.labels(vae, batch)
  if not vae.info.is_image:
    return {'x': x, 'reconstruction': family.reconstruct(vae, p, x, y)}
  n = min(GRID_COLS, x.shape[0])
  return {'reconstruction': jnp.stack([x[:n], family.reconstruct(vae, p, x[:n], _first(y, n))])}


def _path_images(vae: VAE, p, path, z_start, z_end, row_y, x_shape):
  rows = z_start.shape[0]
  zs = jax.vmap(lambda a, c: path(a, c, GRID_COLS))(z_start, z_end)
  imgs = family.generate(vae, p, zs.reshape(-1, vae.m.latent_dim), row_y)
  return imgs.reshape((rows, GRID_COLS) + x_shape[1:]) if vae.info.is_image else imgs


def interpolate(vae: VAE, params, model_state, batch, key):
  p, x, y = params['model'], batch['x'], family.labels(vae, batch)
  rows, b = max(1, min(4, x.shape[0] // 2)), x.shape[0]
  start, end = jnp.arange(rows) * 2 % b, (jnp.arange(rows) * 2 + 1) % b
  z, _ = family.encode(vae, p, x, y)
  row_y = None if y is None else jnp.repeat(y[start], GRID_COLS)   # the start's label
  return {name: _path_images(vae, p, path, z[start], z[end], row_y, x.shape)
          for name, path in (('linear', latent.lerp), ('spherical', latent.slerp))}


def impute(vae: VAE, params, model_state, batch, key):
  p, x, y = params['model'], batch['x'], family.labels(vae, batch)
  is_image = vae.info.is_image
  n = min(GRID_COLS, x.shape[0]) if is_image else x.shape[0]
  x, y = x[:n], _first(y, n)
  if is_image:
    observed = (jnp.arange(x.shape[1]) < x.shape[1] // 2)[None, :, None, None]
  else:
    observed = (jnp.arange(x.shape[1]) < x.shape[1] - 1)[None, :]
  observed = jnp.broadcast_to(observed, x.shape)
  filled = latent.impute(functools.partial(family.reconstruct, vae, p, y=y), x, observed,
                         vae.m.impute_steps)
  missing = (~observed).astype(jnp.float32)
  err = ((filled - x) ** 2 * missing).reshape(n, -1).sum(1) / missing.reshape(n, -1).sum(1)
  shown = jnp.where(observed, x, 0.0)
  if is_image:
    return {'imputation': jnp.stack([shown, filled, x]), 'missing_mse': err}
  return {'observed': shown, 'imputed': filled, 'missing_mse': err}


def anomaly(vae: VAE, params, model_state, batch, key):
  ev = family.evaluate(vae, params, model_state, batch, key)
  score = latent.anomaly_score(ev, 'nll')
  return {'score_nll': score, 'score_neg_elbo': latent.anomaly_score(ev, 'elbo'),
          **latent.ranked(batch['x'], score, vae.info.is_image)}


def conditional(vae: VAE, params, model_state, batch, key):
  c = vae.num_classes
  z = family.prior_draw(vae, key, GRID_COLS)
  y = jnp.repeat(jnp.arange(c), GRID_COLS)
  out = family.generate(vae, params['model'], jnp.tile(z, (c, 1)), y)
  if vae.info.is_image:
    return {'samples': out.reshape((c, GRID_COLS) + out.shape[1:])}
  return {'samples': out, 'labels': y}


MODES = {'reconstruct': reconstruct, 'interpolate': interpolate, 'impute': impute,
         'anomaly': anomaly}
CONDITIONAL_MODES = {'conditional': conditional}   # only for a conditional VAE


def modes_of(vae: VAE) -> dict:
  return {**MODES, **(CONDITIONAL_MODES if vae.num_classes else {})}


def captions(vae: VAE) -> dict[str, GridLabels]:
  recon = GridLabels(rows=('input', 'reconstruction'))
  out = {'reconstruction': recon, 'reconstruct/reconstruction': recon,
         'impute/imputation': GridLabels(rows=('observed', 'imputed', 'original')),
         'anomaly/ranked': latent.RANKED_LABELS, **class_columns(vae.num_classes)}
  if vae.num_classes:
    out['conditional/samples'] = GridLabels(rows=class_labels(vae.num_classes))
  return out
