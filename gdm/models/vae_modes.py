"""The VAE's launcher modes (`--mode=NAME`), built on gdm.applications.latent.

Each is mode(params, model_state, batch, key) -> {name: array} on a prepared evaluation
batch; images come back as [rows, cols, H, W, C] grids, vectors as [N, D] point clouds.
  reconstruct  inputs over their reconstructions
  interpolate  decoded linear and spherical paths between the codes of pairs of inputs
  impute       the bottom half of each image (last coordinate of a vector) filled in
  anomaly      per-example scores: IWAE negative log-likelihood and negative ELBO
  conditional  (conditional VAEs) one row per class, one prior draw per column
"""
import dataclasses
from typing import Callable

import jax
import jax.numpy as jnp

from gdm.applications import latent

GRID_COLS = 8


@dataclasses.dataclass(frozen=True)
class Tools:
  """What the modes need from a VAE (functions of params['model'] unless noted)."""
  encode: Callable        # (p, x, y) -> (mean, log_var)
  reconstruct: Callable   # (p, x, y) -> data-space reconstruction
  generate: Callable      # (p, key, num, y=None, z=None) -> data-space samples
  labels: Callable        # batch -> y or None
  evaluate: Callable      # Model.evaluate (full params)
  is_image: bool
  num_classes: int
  latent_dim: int
  impute_steps: int
  temperature: float


def _first(y, n):
  return None if y is None else y[:n]


def make_modes(t: Tools) -> dict[str, Callable]:

  def reconstruct(params, model_state, batch, key):
    p, x, y = params['model'], batch['x'], t.labels(batch)
    if not t.is_image:
      return {'x': x, 'reconstruction': t.reconstruct(p, x, y)}
    n = min(GRID_COLS, x.shape[0])
    return {'reconstruction': jnp.stack([x[:n], t.reconstruct(p, x[:n], _first(y, n))])}

  def interpolate(params, model_state, batch, key):
    p, x, y = params['model'], batch['x'], t.labels(batch)
    rows, b = max(1, min(4, x.shape[0] // 2)), x.shape[0]
    start, end = jnp.arange(rows) * 2 % b, (jnp.arange(rows) * 2 + 1) % b
    z, _ = t.encode(p, x, y)
    row_y = None if y is None else jnp.repeat(y[start], GRID_COLS)   # the start's label
    out = {}
    for name, path in (('linear', latent.lerp), ('spherical', latent.slerp)):
      zs = jax.vmap(lambda a, c: path(a, c, GRID_COLS))(z[start], z[end])
      imgs = t.generate(p, None, rows * GRID_COLS, row_y, zs.reshape(-1, t.latent_dim))
      out[name] = imgs.reshape((rows, GRID_COLS) + x.shape[1:]) if t.is_image else imgs
    return out

  def impute(params, model_state, batch, key):
    p, x, y = params['model'], batch['x'], t.labels(batch)
    n = min(GRID_COLS, x.shape[0]) if t.is_image else x.shape[0]
    x, y = x[:n], _first(y, n)
    if t.is_image:
      observed = (jnp.arange(x.shape[1]) < x.shape[1] // 2)[None, :, None, None]
    else:
      observed = (jnp.arange(x.shape[1]) < x.shape[1] - 1)[None, :]
    observed = jnp.broadcast_to(observed, x.shape)
    filled = latent.impute(lambda v: t.reconstruct(p, v, y), x, observed, t.impute_steps)
    missing = (~observed).astype(jnp.float32)
    err = ((filled - x) ** 2 * missing).reshape(n, -1).sum(1) / missing.reshape(n, -1).sum(1)
    shown = jnp.where(observed, x, 0.0)
    if t.is_image:
      return {'imputation': jnp.stack([shown, filled, x]), 'missing_mse': err}
    return {'observed': shown, 'imputed': filled, 'missing_mse': err}

  def anomaly(params, model_state, batch, key):
    ev = t.evaluate(params, model_state, batch, key)
    return {'score_nll': latent.anomaly_score(ev, 'nll'),
            'score_neg_elbo': latent.anomaly_score(ev, 'elbo')}

  def conditional(params, model_state, batch, key):
    c = t.num_classes
    z = t.temperature * jax.random.normal(key, (GRID_COLS, t.latent_dim))
    y = jnp.repeat(jnp.arange(c), GRID_COLS)
    out = t.generate(params['model'], None, c * GRID_COLS, y, jnp.tile(z, (c, 1)))
    if t.is_image:
      return {'samples': out.reshape((c, GRID_COLS) + out.shape[1:])}
    return {'samples': out, 'labels': y}

  modes = {'reconstruct': reconstruct, 'interpolate': interpolate, 'impute': impute,
           'anomaly': anomaly}
  if t.num_classes:
    modes['conditional'] = conditional
  return modes
