"""The flow architectures, built from the `model` section as one Bijector (data -> latent
[B, D]). Every kind is one entry of ARCHITECTURES: its layers on vectors, and on images either
multi-scale levels or the vector layers on flattened images (or neither: vectors only).

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
  cnf      num_layers continuous flows (FFJORD), RK4 with cnf.num_steps steps over
           [0, cnf.time].

The builders take the family's FlowConfig `m` (gdm.models.flow.config, which imports this
module for the kind names).
"""
import dataclasses
import functools
import math
from collections.abc import Callable

from gdm.data.source import DatasetInfo
from gdm.flows.bijector import Bijector, Chain, Flatten
from gdm.flows.cnf import CNF
from gdm.flows.coupling import Coupling, Rescale
from gdm.flows.glow import ActNorm, Invertible1x1Conv, check_invertible
from gdm.flows.maf import MAF
from gdm.flows.scanned_steps import GlowSteps
from gdm.flows.squeeze import MultiScale, Squeeze, check_squeezable


@dataclasses.dataclass(frozen=True)
class Architecture:
  """One flow kind. `vector(m)`: its layers on [B, D]. On images, `levels(m, remat)` -> (levels,
  squeezes) of a MultiScale; else `flatten_images` runs `vector` on flattened images; neither:
  the kind is for vectors only. `check_params(params)`: the kind's host-side diagnosis of
  broken parameters (Model.check_params). `couples_halves`: its vector layers split the
  coordinates in two, so vectors need >= 2 dimensions."""
  vector: Callable[..., list[Bijector]]
  levels: Callable[..., tuple[list[Bijector], list[bool]]] | None = None
  flatten_images: bool = False
  check_params: Callable[[dict], None] | None = None
  couples_halves: bool = False

  @property
  def on_images(self) -> bool:
    return self.levels is not None or self.flatten_images


def coupling(m, mask, parity, scale, **kw):
  ms = m.multiscale
  return Coupling(mask=mask, parity=parity, scale=scale, hidden=tuple(m.hidden),
                  channels=ms.channels, num_blocks=ms.num_blocks, act=m.act, **kw)


def glow_step(m, i, mask):
  return [ActNorm(), Invertible1x1Conv(lu=m.glow.lu, seed=i), coupling(m, mask, 0, 'sigmoid')]


def nice_layers(m):
  return [coupling(m, 'alternate', i, 'additive') for i in range(m.num_layers)] + [Rescale()]


def realnvp_layers(m):
  return [coupling(m, 'alternate', i, 'tanh') for i in range(m.num_layers)]


def glow_layers(m):
  return [layer for i in range(m.num_layers) for layer in glow_step(m, i, 'channel')]


def made_layers(m, iaf: bool):
  return [MAF(hidden=tuple(m.hidden), order=('identity', 'reverse')[i % 2], act=m.act,
              iaf=iaf) for i in range(m.num_layers)]


def cnf_layers(m):
  return [CNF(hidden=tuple(m.hidden), act=m.act, time=m.cnf.time, num_steps=m.cnf.num_steps)
          for _ in range(m.num_layers)]


def realnvp_levels(m, remat: bool = False):
  del remat   # RealNVP's couplings alternate masks: they are not scanned
  ms = m.multiscale
  k, levels = ms.steps_per_scale, []
  for s in range(ms.num_scales):
    last = s == ms.num_scales - 1
    layers = [coupling(m, 'checkerboard', i, 'tanh') for i in range(k + last)]
    if not last:
      layers += [Squeeze()] + [coupling(m, 'channel', i, 'tanh') for i in range(k)]
    levels.append(Chain(layers))
  return levels, [s < ms.num_scales - 1 for s in range(ms.num_scales)]


def glow_levels(m, remat: bool = False):
  ms = m.multiscale
  k = ms.steps_per_scale
  if ms.scan:
    levels = [Chain([Squeeze(), GlowSteps(k, s * k, m.glow.lu, ms.channels, ms.num_blocks,
                                          tuple(m.hidden), m.act, remat)])
              for s in range(ms.num_scales)]
  else:
    levels = [Chain([Squeeze()] + [layer for i in range(k)
                                   for layer in glow_step(m, s * k + i, 'channel')])
              for s in range(ms.num_scales)]
  return levels, [True] * ms.num_scales


ARCHITECTURES = {
    'nice': Architecture(nice_layers, flatten_images=True, couples_halves=True),
    'realnvp': Architecture(realnvp_layers, levels=realnvp_levels, couples_halves=True),
    'glow': Architecture(glow_layers, levels=glow_levels, check_params=check_invertible,
                         couples_halves=True),
    'maf': Architecture(functools.partial(made_layers, iaf=False)),
    'iaf': Architecture(functools.partial(made_layers, iaf=True)),
    'cnf': Architecture(cnf_layers),
}


def build(m, info: DatasetInfo, remat: bool = False) -> Bijector:
  """The flow for the model section `m` on data described by `info`; a one-line ValueError
  where the images cannot be squeezed as often as the levels ask. `remat`: scanned steps
  recompute their activations in the backward pass."""
  arch = ARCHITECTURES[m.kind]
  if not info.is_image:
    return Chain(arch.vector(m))
  shape = tuple(info.shape)
  if arch.levels is None:
    return Chain([Flatten(shape)] + arch.vector(m))
  levels, squeezes = arch.levels(m, remat)
  check_squeezable(shape, sum(squeezes))
  return MultiScale(levels, squeezes, shape)


def latent_dim(info: DatasetInfo) -> int:
  return math.prod(info.shape)
