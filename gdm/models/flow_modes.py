"""The flow's launcher modes (`--mode=NAME`) and pictures, built on gdm.applications.latent.

  anomaly      per-example exact scores: nll (nats) and, for images, bits/dim; higher = more
               anomalous (out of distribution)
  interpolate  linear and spherical paths between the latents of pairs of inputs, inverted
  temperature  the same base draws at temperatures TEMPERATURES (one row each; Kingma &
               Dhariwal, 2018, Fig. 8)
"""
import dataclasses
import math
from collections.abc import Callable

import jax
import jax.numpy as jnp

from gdm.applications import latent
from gdm.data.source import DatasetInfo
from gdm.flows import prior as prior_lib

GRID_COLS = 8
TEMPERATURES = (0.0, 0.5, 0.7, 0.8, 0.9, 1.0)


@dataclasses.dataclass(frozen=True)
class Tools:
  encode: Callable      # (p, x, key) -> (z [B, D], nll [B])
  decode: Callable      # (p, z [B, D]) -> data space
  evaluate: Callable    # Model.evaluate
  info: DatasetInfo
  prior: str


def _temperature_rows(t: Tools, p, key, cols):
  """[len(TEMPERATURES), cols, *shape]: one base draw per column, scaled per row."""
  d = math.prod(t.info.shape)
  eps = prior_lib.sample(key, (cols, d), t.prior)
  z = jnp.concatenate([temp * eps for temp in TEMPERATURES])
  return t.decode(p, z).reshape((len(TEMPERATURES), cols) + tuple(t.info.shape))


def make_visualize(t: Tools):

  def visualize(params, model_state, batch, key):
    if t.info.is_image:   # samples come with every evaluation; --mode=temperature for more
      return {}
    return {'latent': t.encode(params['model'], batch['x'], key)[0]}   # should look N(0, I)

  return visualize


def make_modes(t: Tools) -> dict[str, Callable]:

  def anomaly(params, model_state, batch, key):
    ev = t.evaluate(params, model_state, batch, key)
    out = {'score_nll': latent.anomaly_score(ev, 'nll')}
    if 'bpd' in ev:
      out['score_bpd'] = ev['bpd']
    return out

  def interpolate(params, model_state, batch, key):
    p, x = params['model'], batch['x']
    b = x.shape[0]
    rows = max(1, min(4, b // 2))
    start, end = jnp.arange(rows) * 2 % b, (jnp.arange(rows) * 2 + 1) % b
    z = t.encode(p, x, key)[0]
    out = {}
    for name, path in (('linear', latent.lerp), ('spherical', latent.slerp)):
      zs = jax.vmap(lambda a, c, path=path: path(a, c, GRID_COLS))(z[start], z[end])
      data = t.decode(p, zs.reshape(rows * GRID_COLS, -1))
      out[name] = data.reshape((rows, GRID_COLS) + x.shape[1:]) if t.info.is_image else data
    return out

  def temperature(params, model_state, batch, key):
    cols = GRID_COLS if t.info.is_image else batch['x'].shape[0]
    return {'samples': _temperature_rows(t, params['model'], key, cols),
            'temperatures': jnp.asarray(TEMPERATURES)}

  return {'anomaly': anomaly, 'interpolate': interpolate, 'temperature': temperature}
