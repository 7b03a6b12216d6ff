"""The diffusion family's `model` section and its checks against the data.

Shared keys are flat; each process has its own section (model.<PROCESSES[name].section>, the
settings dataclass of its file in gdm.diffusion.processes, e.g. model.ddpm), each net
(model.mlp, model.unet), and each sampler with settings of its own
(model.<SAMPLERS[name].options>, e.g. model.ddim). Only the sections of the chosen process,
net and sampler are used; every section is checked.
"""
from typing import ClassVar

import numpy as np

from gdm.data.source import DatasetInfo
from gdm.diffusion.guidance import check_guidance
from gdm.diffusion.processes import PROCESSES
from gdm.diffusion.processes.ddpm import DDPMSettings
from gdm.diffusion.processes.edm import EDMSettings
from gdm.diffusion.processes.ncsn import NCSNSettings
from gdm.diffusion.processes.score_sde import SDESettings
from gdm.diffusion.samplers import SAMPLERS
from gdm.diffusion.samplers.continuous import PCOptions
from gdm.diffusion.samplers.discrete import DDIMOptions
from gdm.diffusion.samplers.heun import HeunOptions
from gdm.diffusion.samplers.langevin import LangevinOptions
from gdm.models.first_stage.config import FirstStageConfig
from gdm.nn.mlp import ACTIVATIONS
from gdm.nn.unet import check_unet_size
from gdm.objectives.score_matching import PARAMETERIZATIONS
from gdm.utils.checks import check_choice
from gdm.utils.schema import choice, require, section

NETS = ('mlp', 'unet')
MASKS = ('center', 'left', 'right', 'top', 'bottom')
INPAINT_METHODS = ('replace', 'repaint')


@section
class MLPConfig:
  hidden: tuple[int, ...] = (256, 256, 256)
  act: str = 'silu'

  def __post_init__(self):
    require(len(self.hidden) >= 1 and all(w > 0 for w in self.hidden), 'hidden', self.hidden,
            'must hold one or more positive widths')
    choice(self.act, ACTIVATIONS, 'act', 'activation')


@section
class UNetConfig:
  """DDPM's CIFAR-10 network (gdm.nn.unet)."""
  channels: int = 128
  channel_mult: tuple[int, ...] = (1, 2, 2, 2)
  num_res_blocks: int = 2
  attn_resolutions: tuple[int, ...] = (16,)
  dropout: float = 0.1
  # On the CPU backend, 3x3 convs take their kernel gradient in batch slices of this size
  # (gdm.nn.chunked_conv: XLA:CPU's gets slower per example with the batch); 0 = off.
  # Other backends ignore it.
  cpu_wgrad_chunk: int = 8

  def __post_init__(self):
    require(self.cpu_wgrad_chunk >= 0, 'cpu_wgrad_chunk', self.cpu_wgrad_chunk,
            'must be >= 0 (0 = off)')
    require(self.channels >= 1, 'channels', self.channels, 'must be >= 1')
    require(len(self.channel_mult) >= 1 and all(c > 0 for c in self.channel_mult),
            'channel_mult', self.channel_mult, 'must hold one or more positive multipliers')
    require(self.num_res_blocks >= 1, 'num_res_blocks', self.num_res_blocks, 'must be >= 1')
    require(0 <= self.dropout < 1, 'dropout', self.dropout, 'must be in [0, 1)')


@section
class DiffusionConfig:
  # Keys that lived at the top of the section before the redesign (older runs' config.json).
  MOVED: ClassVar[dict] = {
      'hidden': 'mlp.hidden', 'act': 'mlp.act', 'channels': 'unet.channels',
      'channel_mult': 'unet.channel_mult', 'num_res_blocks': 'unet.num_res_blocks',
      'attn_resolutions': 'unet.attn_resolutions', 'dropout': 'unet.dropout',
      'schedule': 'ddpm.schedule', 'num_timesteps': 'ddpm.num_timesteps',
      'beta_start': 'ddpm.beta_start', 'beta_end': 'ddpm.beta_end', 'loss': 'ddpm.loss',
      'variance': 'ddpm.variance', 'importance_sampling': 'ddpm.importance_sampling',
      'num_sigmas': 'ncsn.num_sigmas', 'beta_min': 'sde.beta_min', 'beta_max': 'sde.beta_max',
      'weighting': 'sde.weighting', 'eval_ode_steps': 'sde.eval_ode_steps',
      'trace': 'sde.trace', 'langevin_steps': 'langevin.steps', 'langevin_lr': 'langevin.lr',
      'ddim_eta': 'ddim.eta', 'snr': 'pc.snr', 'corrector_steps': 'pc.corrector_steps',
      'sigma_min': 'ncsn.sigma_min or model.sde.sigma_min',
      'sigma_max': 'ncsn.sigma_max or model.sde.sigma_max'}

  @staticmethod
  def migrate_old(values: dict) -> dict:
    """NCSN and the VE SDE shared sigma_min / sigma_max before the redesign."""
    where = 'ncsn' if values.get('process') == 'ncsn' else 'sde'
    for key in ('sigma_min', 'sigma_max'):
      if key in values:
        values.setdefault(where, {}).setdefault(key, values.pop(key))
    return values
  process: str = 'ddpm'         # a name in gdm.diffusion.processes.PROCESSES
  net: str = 'mlp'              # mlp (vectors) | unet (images)
  parameterization: str = 'eps'  # eps | x0 | v
  mlp: MLPConfig = MLPConfig()
  unet: UNetConfig = UNetConfig()
  ddpm: DDPMSettings = DDPMSettings()
  ncsn: NCSNSettings = NCSNSettings()
  sde: SDESettings = SDESettings()      # vp, subvp, ve
  edm: EDMSettings = EDMSettings()
  # sampling (--mode=sample, sample grids, experiments.evaluate)
  sampler: str = 'ancestral'    # one of the process's samplers (PROCESSES[process].samplers)
  sample_steps: int = 1000      # ddpm: <= num_timesteps (ancestral: all); others: steps
  ddim: DDIMOptions = DDIMOptions()
  langevin: LangevinOptions = LangevinOptions()
  pc: PCOptions = PCOptions()
  heun: HeunOptions = HeunOptions()
  eval_nll: bool = True         # the process's nll (ddpm: full bound; sde: ODE likelihood)
  # conditioning
  class_conditional: bool = False
  label_dropout: float = 0.1    # classifier-free guidance: p(label -> null) in training
  guidance_scale: float = 0.0   # w: eps = (1 + w) eps(x, y) - w eps(x); 0 = plain conditional
  low_res_size: int = 0         # > 0: super-resolution from images pooled to this size
  # launcher modes of processes that offer them (ddpm: inpaint, denoise)
  inpaint_mask: str = 'center'  # center | left | right | top | bottom | PATH.npy (1 = known)
  inpaint_method: str = 'replace'   # replace | repaint
  repaint_resample: int = 10
  denoise_sigma: float = 0.2    # --mode=denoise: noise std added to the data (data units)
  # latent diffusion (models/diffusion/latent.py): a trained experiments.first_stage run, or
  # for smoke tests the `model` section of a first stage built untrained on this run's data
  autoencoder_workdir: str = ''
  untrained_autoencoder: FirstStageConfig | None = None
  latent_scale: float = 0.0     # latents are multiplied by it; 0 = 1 / std of the first batch's

  def __post_init__(self):
    choice(self.process, PROCESSES, 'process', 'diffusion process')
    choice(self.net, NETS, 'net', 'score network')
    choice(self.parameterization, PARAMETERIZATIONS, 'parameterization', 'parameterization')
    choice(self.sampler, PROCESSES[self.process].samplers, 'sampler',
           f'sampler for process {self.process!r}')
    require(self.sample_steps >= 1, 'sample_steps', self.sample_steps, 'must be >= 1')
    require(0 <= self.label_dropout < 1, 'label_dropout', self.label_dropout, 'must be in [0, 1)')
    require(self.low_res_size >= 0, 'low_res_size', self.low_res_size, 'must be >= 0 (0 = off)')
    choice(self.inpaint_method, INPAINT_METHODS, 'inpaint_method', 'inpainting method')
    require(self.repaint_resample >= 1, 'repaint_resample', self.repaint_resample,
            'must be >= 1')
    require(self.denoise_sigma > 0, 'denoise_sigma', self.denoise_sigma, 'must be > 0')
    require(not (self.autoencoder_workdir and self.untrained_autoencoder is not None),
            'autoencoder_workdir', self.autoencoder_workdir,
            'and model.untrained_autoencoder exclude each other: set one')
    require(self.latent_scale >= 0, 'latent_scale', self.latent_scale,
            'must be >= 0 (0 = 1 / std of the latents)')
    require(not (self.latent and self.low_res_size), 'low_res_size', self.low_res_size,
            'conditions on pixels: super-resolution runs in data space (no first stage)')

  @property
  def latent(self) -> bool:
    """Diffusion in a first stage's latent space."""
    return bool(self.autoencoder_workdir) or self.untrained_autoencoder is not None

  @property
  def process_settings(self):
    """The chosen process's own section."""
    return getattr(self, PROCESSES[self.process].section)

  @property
  def sampler_options(self):
    """The chosen sampler's own section, or None."""
    name = SAMPLERS[self.sampler].options
    return getattr(self, name) if name else None


def inpaint_mask(m: DiffusionConfig, info: DatasetInfo) -> np.ndarray:
  """1 where the data is known, 0 where it is filled in; shaped like one example."""
  name = m.inpaint_mask
  shape = tuple(info.shape)
  if name.endswith('.npy'):
    mask = np.load(name)
    if mask.shape not in (shape, shape[:-1]):
      raise ValueError(f'model.inpaint_mask {name!r} has shape {mask.shape}; the data needs '
                       f'{shape} or {shape[:-1]}')
    if not np.all((mask == 0) | (mask == 1)):
      raise ValueError(f'model.inpaint_mask {name!r} must hold only 0 (fill in) and 1 (known)')
    return np.broadcast_to(mask.reshape(shape[:-1] + (-1,)), shape).astype(np.float32)
  check_choice(name, MASKS, 'inpainting mask', 'model.inpaint_mask (or a .npy file)')
  mask = np.ones(shape, np.float32)
  if not info.is_image:
    if name in ('center', 'top', 'bottom'):
      raise ValueError(f"model.inpaint_mask={name!r} is for images; vectors take 'left' "
                       "(first half of the coordinates missing) or 'right' (the rest)")
    half = max(shape[0] // 2, 1)
    if name == 'left':
      mask[:half] = 0
    else:
      mask[half:] = 0
    return mask
  h, w = shape[:2]
  region = {'center': (slice(h // 4, h - h // 4), slice(w // 4, w - w // 4)),
            'left': (slice(None), slice(0, w // 2)), 'right': (slice(None), slice(w // 2, None)),
            'top': (slice(0, h // 2), slice(None)), 'bottom': (slice(h // 2, None), slice(None))}
  mask[region[name]] = 0
  return mask


def check(m: DiffusionConfig, info: DatasetInfo):
  """What the model section asks of the data (one-line errors)."""
  if m.net == 'mlp' and info.is_image:
    raise ValueError(f"model.net='mlp' is for vector data; {info.name!r} holds images (use "
                     "model.net='unet')")
  if m.net == 'unet':
    if not info.is_image or info.shape[0] != info.shape[1]:
      raise ValueError(f"model.net='unet' needs square images; {info.name!r} has shape "
                       f'{tuple(info.shape)}')
    check_unet_size(info.shape[0], m.unet.channel_mult)
  if m.class_conditional and info.num_classes <= 0:
    raise ValueError(f'model.class_conditional=True needs a labelled dataset; {info.name!r} has '
                     'no labels')
  check_guidance(m.guidance_scale, info.num_classes if m.class_conditional else 0)
  if m.low_res_size:
    size = info.shape[0]
    if not info.is_image or m.low_res_size >= size or size % m.low_res_size:
      raise ValueError(f'model.low_res_size={m.low_res_size} (super-resolution) must divide the '
                       f'image size and be smaller; data {info.name!r} has shape '
                       f'{tuple(info.shape)}')
