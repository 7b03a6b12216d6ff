"""The flow's `model` section (FlowConfig) and the checks that need the rest of the run.

Keys every kind reads stay flat; the keys of one architecture sit in its own sub-section:
model.multiscale.* (realnvp and glow on images), model.glow.*, model.cnf.*.
"""
from typing import ClassVar

from gdm.data.config import DataConfig
from gdm.data.source import DatasetInfo
from gdm.flows.prior import PRIORS
from gdm.models.flow.nets import ARCHITECTURES
from gdm.nn.mlp import ACTIVATIONS
from gdm.train.config import RunConfig
from gdm.utils.schema import choice, require, section

DEQUANTIZATIONS = ('uniform', 'variational')
TRACES = ('hutchinson', 'exact')


def at_least_one(section_, *names):
  for name in names:
    require(getattr(section_, name) >= 1, name, getattr(section_, name), 'must be >= 1')


@section
class MultiScaleConfig:
  """Images, realnvp and glow: the multi-scale architecture and its conv coupling nets."""
  num_scales: int = 2           # levels; one squeeze each but RealNVP's last
  steps_per_scale: int = 3      # RealNVP couplings per half-scale / Glow's K
  channels: int = 64            # conv width of each coupling's network
  num_blocks: int = 0           # residual blocks per coupling net (RealNVP); 0 = Glow's net
  scan: bool = False            # glow: a scale's steps as one nn.scan (compile time flat in
                                # steps_per_scale; stacked params; slow backward on CPU)

  def __post_init__(self):
    at_least_one(self, 'num_scales', 'steps_per_scale', 'channels')
    require(self.num_blocks >= 0, 'num_blocks', self.num_blocks, 'must be >= 0')


@section
class GlowConfig:
  lu: bool = True               # LU-decomposed invertible 1x1 convolution


@section
class CNFConfig:
  time: float = 1.0             # integration time T
  num_steps: int = 8            # RK4 steps
  trace: str = 'hutchinson'     # training: hutchinson | exact (evaluation is exact)

  def __post_init__(self):
    require(self.time > 0, 'time', self.time, 'must be > 0')
    at_least_one(self, 'num_steps')
    choice(self.trace, TRACES, 'trace', 'trace estimator')


@section
class FlowConfig:
  # Keys that lived at the top of the section before the redesign (older runs' config.json).
  MOVED: ClassVar[dict] = {
      'num_scales': 'multiscale.num_scales', 'steps_per_scale': 'multiscale.steps_per_scale',
      'channels': 'multiscale.channels', 'num_blocks': 'multiscale.num_blocks',
      'lu': 'glow.lu', 'ode_time': 'cnf.time', 'ode_steps': 'cnf.num_steps',
      'trace': 'cnf.trace'}
  kind: str = 'realnvp'         # nice | realnvp | glow | maf | iaf | cnf
  num_layers: int = 8           # vectors (and NICE): couplings / glow steps / MAF layers / CNFs
  hidden: tuple[int, ...] = (64, 64)  # MLP widths: vector couplings, NICE, MADE, CNF dynamics
  act: str = 'relu'
  prior: str = 'gaussian'       # gaussian | logistic (NICE)
  logit: bool = False           # images in [0, 1] (data.scale='zero_one') -> logit space
  logit_alpha: float = 0.05     # logit(alpha + (1 - 2 alpha) x)
  dequantization: str = 'uniform'  # uniform (data.dequantize=True) | variational (learned)
  dequant_channels: int = 16    # variational dequantization net width
  multiscale: MultiScaleConfig = MultiScaleConfig()
  glow: GlowConfig = GlowConfig()
  cnf: CNFConfig = CNFConfig()

  def __post_init__(self):
    choice(self.kind, ARCHITECTURES, 'kind', 'flow kind')
    choice(self.prior, PRIORS, 'prior', 'prior')
    choice(self.dequantization, DEQUANTIZATIONS, 'dequantization', 'dequantization')
    choice(self.act, ACTIVATIONS, 'act', 'activation')
    at_least_one(self, 'num_layers', 'dequant_channels')
    require(self.hidden and min(self.hidden) >= 1, 'hidden', self.hidden,
            'must hold positive widths')
    require(0 < self.logit_alpha < 0.5, 'logit_alpha', self.logit_alpha, 'must be in (0, 0.5)')


def check_images(m: FlowConfig, d: DataConfig, info: DatasetInfo):
  if not ARCHITECTURES[m.kind].on_images:
    *others, last = [k for k, a in ARCHITECTURES.items() if a.on_images]
    raise ValueError(f'model.kind={m.kind!r} is for 2-D/tabular data; {info.name!r} holds '
                     f'images (use {", ".join(others)} or {last})')
  if d.binarize != 'none':
    raise ValueError(f'a flow is a density on continuous values: data.binarize='
                     f'{d.binarize!r} must be none')
  if m.dequantization == 'uniform' and not d.dequantize:
    raise ValueError(f'a flow on 8-bit images needs dequantized data: set data.dequantize=True '
                     f"(uniform noise) or model.dequantization='variational' (dataset "
                     f'{info.name!r} has data.dequantize=False)')
  if m.dequantization == 'variational' and d.dequantize:
    raise ValueError("model.dequantization='variational' adds learned noise to integer "
                     'pixels: set data.dequantize=False')
  if m.logit and d.scale != 'zero_one':
    raise ValueError(f"model.logit=True needs data in [0, 1] (data.scale='zero_one'); "
                     f'data.scale={d.scale!r} puts values outside that range')


def check(run: RunConfig, info: DatasetInfo):
  """What the model section asks of the other sections and the data (one-line errors);
  whether the images squeeze as often as the levels ask is checked where they are built."""
  m = run.model
  if run.train.compute_dtype != 'float32':
    raise ValueError(f'flows compute in float32 (log-determinants of deep stacks lose too '
                     f'much precision otherwise): train.compute_dtype='
                     f'{run.train.compute_dtype!r} is not supported')
  if run.sample.temperature < 0:
    raise ValueError(f'sample.temperature={run.sample.temperature} must be >= 0')
  if info.is_image:
    check_images(m, run.data, info)
    return
  if m.logit or m.dequantization != 'uniform':
    raise ValueError(f'model.logit and variational dequantization apply to 8-bit images; '
                     f'{info.name!r} is a 2-D/tabular dataset')
  if info.shape[0] < 2 and ARCHITECTURES[m.kind].couples_halves:
    raise ValueError(f'model.kind={m.kind!r} couples halves of the data: needs >= 2 '
                     f'dimensions, {info.name!r} has {info.shape[0]}')
