"""The flow's launcher modes (`--mode=NAME`), built on gdm.applications.latent:
mode(f, params, model_state, batch, key) -> {name: array} on a prepared evaluation batch.

  anomaly      per-example exact scores: nll (nats) and, for images, bits/dim; higher = more
               anomalous (out of distribution); the batch ordered by score as its picture
  interpolate  linear and spherical paths between the latents of pairs of inputs, inverted
  temperature  the same base draws at temperatures TEMPERATURES (one row each; Kingma &
               Dhariwal, 2018, Fig. 8)
`captions` labels their pictures.
"""
import jax
import jax.numpy as jnp

from gdm.applications import latent
from gdm.flows import prior as prior_lib
from gdm.models.flow import family
from gdm.models.flow.family import Flow
from gdm.utils.captions import GridLabels

GRID_COLS = 8
TEMPERATURES = (0.0, 0.5, 0.7, 0.8, 0.9, 1.0)


def anomaly(f: Flow, params, model_state, batch, key):
  ev = family.evaluate(f, params, model_state, batch, key)
  out = {'score_nll': latent.anomaly_score(ev, 'nll'),
         **latent.ranked(batch['x'], ev['nll'], f.info.is_image)}
  if 'bpd' in ev:
    out['score_bpd'] = ev['bpd']
  return out


def interpolate(f: Flow, params, model_state, batch, key):
  p, x = params['model'], batch['x']
  b = x.shape[0]
  rows = max(1, min(4, b // 2))
  start, end = jnp.arange(rows) * 2 % b, (jnp.arange(rows) * 2 + 1) % b
  z = family.encode(f, p, x, key)[0]
  out = {}
  for name, path in (('linear', latent.lerp), ('spherical', latent.slerp)):
    zs = jax.vmap(lambda a, c, path=path: path(a, c, GRID_COLS))(z[start], z[end])
    data = family.decode(f, p, zs.reshape(rows * GRID_COLS, -1))
    out[name] = data.reshape((rows, GRID_COLS) + x.shape[1:]) if f.info.is_image else data
  return out


def temperature_rows(f: Flow, p, key, cols):
  """[len(TEMPERATURES), cols, *shape]: one base draw per column, scaled per row."""
  eps = prior_lib.sample(key, (cols, f.latent_dim), f.m.prior)
  z = jnp.concatenate([temp * eps for temp in TEMPERATURES])
  return family.decode(f, p, z).reshape((len(TEMPERATURES), cols) + tuple(f.info.shape))


def temperature(f: Flow, params, model_state, batch, key):
  cols = GRID_COLS if f.info.is_image else batch['x'].shape[0]
  return {'samples': temperature_rows(f, params['model'], key, cols),
          'temperatures': jnp.asarray(TEMPERATURES)}


MODES = {'anomaly': anomaly, 'interpolate': interpolate, 'temperature': temperature}


def captions(f: Flow) -> dict[str, GridLabels]:
  return {'anomaly/ranked': latent.RANKED_LABELS,
          'temperature/samples': GridLabels(rows=tuple(f'T={t}' for t in TEMPERATURES))}
