"""Autoregressive models: NADE, MADE, PixelCNN, Gated PixelCNN, PixelCNN++, the Image
Transformer and a PixelCNN prior over the code maps of a trained VQ-VAE.

p(x) = prod_i p(x_i | x_<i) in raster order (rows, columns, then channels R < G < B; 2-D local
attention generates block by block), with
exact likelihood: one player minimises the negative log-likelihood per example. Evaluation
reports it in nats/example and bits/dim through gdm.metrics.bits_per_dim (discrete models:
offset 0; binarized images give bits per binary dimension; 2-D toys with a Gaussian mixture
per dimension report a density, no bpd). A VQ-VAE prior reports nats per code map and bits
per code. Sampling and completion (modes.py) are compiled loops over positions (sampling.py)
whose steps run the net's cache or the whole net (`model.sampler`, steppers.py).

Every function here takes the `Autoregressive` that `build` makes once from the config; the
package's `make` binds them into the trainer's `Model`.
"""
import dataclasses
import functools
import math

import jax
import jax.numpy as jnp

from gdm.data.source import DatasetInfo
from gdm.metrics import bits_per_dim as likelihood
from gdm.models.autoregressive import codes as codes_lib
from gdm.models.autoregressive import heads, nets, sampling, steppers
from gdm.models.autoregressive.config import AutoregressiveConfig, check
from gdm.train.config import RunConfig


@dataclasses.dataclass(frozen=True, eq=False)   # compared by identity: it holds arrays
class Autoregressive:
  """What every function of the family needs, built once from the config."""
  m: AutoregressiveConfig
  info: DatasetInfo
  grid_shape: tuple[int, int, int]   # what the net models: [H, W, C], a vector's [1, D, 1]
  head: heads.Head
  net: nets.GridNet
  num_classes: int                   # > 0: class-conditional
  offset: float | None               # nats to add for bits/dim; None: no bpd
  codes: codes_lib.CodeSpace | None  # a prior over a VQ-VAE's code maps


def build(run: RunConfig, info: DatasetInfo) -> Autoregressive:
  m = run.model
  check(m, run.data, info)
  codes = codes_lib.load(run, info)
  if codes is not None:
    grid_shape = codes.code_shape + (1,)
    head = heads.CodeCategorical(codes.num_codes)
  else:
    grid_shape = tuple(info.shape) if info.is_image else (1, info.shape[0], 1)
    head = heads.HEADS[m.likelihood](grid_shape[-1], m.num_mixtures)
  num_classes = info.num_classes if m.conditional else 0
  net = nets.build(m, grid_shape, head.num_params, num_classes, head.pixel_wise,
                   head.vocabulary)
  offset = likelihood.pixel_offset(run.data.pixels, info, head.kind)
  return Autoregressive(m=m, info=info, grid_shape=grid_shape, head=head, net=net,
                        num_classes=num_classes, offset=offset, codes=codes)


def to_grid(ar: Autoregressive, model_state, x):
  """Prepared batch x -> the grid the model scores: images, vectors as [B, 1, D, 1], or a
  VQ-VAE's code map [B, h, w, 1]."""
  if ar.codes is not None:
    return codes_lib.encode(ar.codes, model_state['vqvae'], x).astype(jnp.float32)[..., None]
  return x.reshape((x.shape[0],) + ar.grid_shape)


def from_grid(ar: Autoregressive, model_state, grid):
  if ar.codes is not None:
    return codes_lib.decode(ar.codes, model_state['vqvae'],
                            jnp.round(grid[..., 0]).astype(jnp.int32))
  return grid.reshape((grid.shape[0],) + tuple(ar.info.shape))


def net_input(ar: Autoregressive, grid):
  return nets.one_hot_codes(grid, ar.codes.num_codes) if ar.codes is not None else grid


def cond_of(ar: Autoregressive, y):
  return None if y is None or not ar.num_classes else jax.nn.one_hot(y, ar.num_classes)


def labels(ar: Autoregressive, batch):
  return batch['y'] if ar.num_classes else None


def outputs(ar: Autoregressive, params, y, grid, train=False, key=None):
  """The net's outputs on `grid` given labels y; partial(outputs, ar, params, y) is the
  out_fn of sampling.py."""
  return ar.net.apply(params['model'], net_input(ar, grid), cond_of(ar, y), train, key)


def recompute_stepper(ar: Autoregressive, params, y):
  """Runs the whole net at every step (the reference)."""
  return steppers.Recompute(functools.partial(outputs, ar, params, y), ar.net.order)


def cached_stepper(ar: Autoregressive, params, y):
  """The net's own cached stepper (its row or key/value cache; MADE and NADE recompute)."""
  return ar.net.stepper(params['model'], cond_of(ar, y), functools.partial(net_input, ar),
                        functools.partial(outputs, ar, params, y))


STEPPERS = {'cached': cached_stepper, 'recompute': recompute_stepper}   # model.sampler


def stepper(ar: Autoregressive, params, y):
  """What sampling.complete runs at each step, as `model.sampler` says."""
  return STEPPERS[ar.m.sampler](ar, params, y)


def log_prob(ar: Autoregressive, params, grid, y, train=False, key=None):
  ar.head.check(grid)
  out = outputs(ar, params, y, grid, train, key)
  per = ar.head.log_prob(out, grid)
  return per.reshape(per.shape[0], -1).sum(1)


def loss(ar: Autoregressive, params, model_state, batch, key, step):
  del step
  grid = to_grid(ar, model_state, batch['x'])
  nll = -log_prob(ar, params, grid, labels(ar, batch), True, key)
  return nll.mean(), ({'nll': nll.mean()}, model_state)


def init(ar: Autoregressive, key, batch):
  y = labels(ar, batch)
  model_state = ({'vqvae': jax.tree.map(jnp.asarray, ar.codes.state)} if ar.codes is not None
                 else {})
  grid = to_grid(ar, model_state, batch['x'][:1])
  params = ar.net.init(key, net_input(ar, grid), cond_of(ar, None if y is None else y[:1]))
  return {'model': params}, model_state


def evaluate(ar: Autoregressive, params, model_state, batch, key):
  del key
  grid = to_grid(ar, model_state, batch['x'])
  nll = -log_prob(ar, params, grid, labels(ar, batch))
  if ar.codes is not None:
    return {'loss': nll, 'nll': nll,
            'bits_per_code': nll / (math.prod(ar.grid_shape) * math.log(2.0))}
  return {'loss': nll, **likelihood.report(nll, ar.info, ar.offset)}


def sample(ar: Autoregressive, params, model_state, key, num, reference):
  """num draws from scratch (class-conditional: the classes in turn), in data space."""
  del reference
  y = jnp.arange(num) % ar.num_classes if ar.num_classes else None
  grid = sampling.sample(stepper(ar, params, y), ar.head, key, (num,) + ar.grid_shape)
  return from_grid(ar, model_state, grid)


def visualize(ar: Autoregressive, params, model_state, batch, key):
  del params, model_state, batch, key
  return {}
