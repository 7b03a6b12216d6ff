"""The flow architectures, built from config.model as one Bijector (data -> latent [B, D]).

  nice     additive couplings on alternating coordinates + diagonal rescaling (Dinh et al.,
           2015); images are flattened.
  realnvp  affine couplings (s = a * tanh). Vectors: alternating coordinates. Images: the
           multi-scale architecture of Dinh et al. (2017): per scale, steps_per_scale
           checkerboard couplings, squeeze, steps_per_scale channel couplings, factor out half;
           the last scale has steps_per_scale + 1 checkerboard couplings.
  glow     steps of actnorm, invertible 1x1 convolution and affine coupling (sigmoid scale)
           (Kingma & Dhariwal, 2018). Images: num_scales levels of squeeze + steps_per_scale
           steps, factoring out half after every level but the last.
  maf/iaf  num_layers MADE-based autoregressive layers with alternating orders (vectors).
  cnf      num_layers continuous flows (FFJORD), RK4 with ode_steps steps over [0, ode_time].
"""
import math

from gdm.flows.bijector import Chain, Flatten
from gdm.flows.cnf import CNF
from gdm.flows.coupling import Coupling, Rescale
from gdm.flows.glow import ActNorm, Invertible1x1Conv
from gdm.flows.maf import MAF
from gdm.flows.squeeze import MultiScale, Squeeze

KINDS = ('nice', 'realnvp', 'glow', 'maf', 'iaf', 'cnf')
VECTOR_ONLY = ('maf', 'iaf', 'cnf')
MULTISCALE = ('realnvp', 'glow')


def num_squeezes(m) -> int:
  """Squeezes of an image flow (each needs the spatial size to halve evenly)."""
  return {'realnvp': m.num_scales - 1, 'glow': m.num_scales}.get(m.kind, 0)


def _coupling(m, mask, parity, scale, **kw):
  return Coupling(mask=mask, parity=parity, scale=scale, hidden=tuple(m.hidden),
                  channels=m.channels, num_blocks=m.num_blocks, act=m.act, **kw)


def _glow_step(m, i, mask):
  return [ActNorm(), Invertible1x1Conv(lu=m.lu, seed=i), _coupling(m, mask, 0, 'sigmoid')]


def _vector_layers(m):
  n = m.num_layers
  if m.kind == 'nice':
    return [_coupling(m, 'alternate', i, 'additive') for i in range(n)] + [Rescale()]
  if m.kind == 'realnvp':
    return [_coupling(m, 'alternate', i, 'tanh') for i in range(n)]
  if m.kind == 'glow':
    return [layer for i in range(n) for layer in _glow_step(m, i, 'channel')]
  if m.kind in ('maf', 'iaf'):
    return [MAF(hidden=tuple(m.hidden), order=('identity', 'reverse')[i % 2], act=m.act,
                iaf=m.kind == 'iaf') for i in range(n)]
  return [CNF(hidden=tuple(m.hidden), act=m.act, time=m.ode_time, num_steps=m.ode_steps)
          for _ in range(n)]


def _realnvp_levels(m):
  k, levels = m.steps_per_scale, []
  for s in range(m.num_scales):
    last = s == m.num_scales - 1
    layers = [_coupling(m, 'checkerboard', i, 'tanh') for i in range(k + last)]
    if not last:
      layers += [Squeeze()] + [_coupling(m, 'channel', i, 'tanh') for i in range(k)]
    levels.append(Chain(layers))
  return levels, [s < m.num_scales - 1 for s in range(m.num_scales)]


def _glow_levels(m):
  k = m.steps_per_scale
  levels = [Chain([Squeeze()] + [layer for i in range(k)
                                 for layer in _glow_step(m, s * k + i, 'channel')])
            for s in range(m.num_scales)]
  return levels, [True] * m.num_scales


def build(m, info):
  """The flow for config.model `m` on data described by `info` (a DatasetInfo)."""
  shape = tuple(info.shape)
  if not info.is_image:
    return Chain(_vector_layers(m))
  if m.kind in MULTISCALE:
    levels, squeezes = (_realnvp_levels if m.kind == 'realnvp' else _glow_levels)(m)
    return MultiScale(levels, squeezes, shape)
  return Chain([Flatten(shape)] + _vector_layers(m))


def latent_dim(info) -> int:
  return math.prod(info.shape)
