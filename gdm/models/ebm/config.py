"""The EBM's `model` section (EBMConfig), and the checks that need the dataset and batch sizes.

The energy network is a variant (`net`) with its own sub-section (`mlp`, `resnet`); the
chains have one sub-section per use: `sgld` (the training negatives' chain: its kind,
Langevin by default, and its step size, which samples share and restorations use), `buffer`
(persistent chains; size 0 = short-run chains from noise every step), `sampling` (samples)
and `restore` (the denoise / inpaint modes).
"""
from typing import ClassVar

from gdm.data.source import DatasetInfo
from gdm.nn.mlp import ACTIVATIONS
from gdm.sampling.chains import SGLDConfig
from gdm.train.config import RunConfig
from gdm.utils.schema import choice, require, section

NETS = ('mlp', 'resnet')
SAMPLE_INITS = ('noise', 'buffer')


@section
class MLPConfig:
  hidden: tuple[int, ...] = (128, 128, 128)   # widths; for vectors (the 2-D toys)

  def __post_init__(self):
    require(all(w > 0 for w in self.hidden), 'hidden', self.hidden, 'must hold positive widths')


@section
class ResNetConfig:
  channels: tuple[int, ...] = (64, 128, 256)  # one resolution level per entry
  blocks: int = 1                             # residual blocks per level

  def __post_init__(self):
    require(bool(self.channels) and all(c > 0 for c in self.channels), 'channels', self.channels,
            'must be non-empty positive widths')
    require(self.blocks >= 1, 'blocks', self.blocks, 'must be >= 1')


@section
class BufferConfig:
  size: int = 10_000            # replay buffer of past negatives; 0 = short-run from noise
  reinit_share: float = 0.05    # chains restarted from uniform noise each step

  def __post_init__(self):
    require(self.size >= 0, 'size', self.size, 'must be >= 0 (0 = short-run chains from noise)')
    require(0 <= self.reinit_share <= 1, 'reinit_share', self.reinit_share, 'must be in [0, 1]')


@section
class SamplingConfig:
  init: str = 'noise'           # noise (fresh chains) | buffer (stored negatives)
  steps: int = 0                # SGLD steps for samples from noise; 0 = sgld.steps

  def __post_init__(self):
    choice(self.init, SAMPLE_INITS, 'init', 'sample init')
    require(self.steps >= 0, 'steps', self.steps, 'must be >= 0 (0 = model.sgld.steps)')


@section
class RestoreConfig:
  steps: int = 100              # --mode=denoise / inpaint: energy-descent steps
  noise: float = 0.0            # ... and their noise scale (0 = plain gradient descent)
  corrupt_std: float = 0.3      # --mode=denoise: std of the added Gaussian noise

  def __post_init__(self):
    require(self.steps >= 1, 'steps', self.steps, 'must be >= 1')
    require(self.noise >= 0, 'noise', self.noise, 'must be >= 0')
    require(self.corrupt_std > 0, 'corrupt_std', self.corrupt_std, 'must be > 0')


@section
class EBMConfig:
  # Keys that lived at the top of the section before the redesign (older runs' config.json).
  MOVED: ClassVar[dict] = {
      'hidden': 'mlp.hidden', 'channels': 'resnet.channels', 'blocks': 'resnet.blocks',
      'sgld_steps': 'sgld.steps', 'step_size': 'sgld.step_size',
      'noise_scale': 'sgld.noise_scale', 'grad_clip': 'sgld.grad_clip',
      'sgld_unroll': 'sgld.unroll', 'buffer_size': 'buffer.size',
      'reinit_share': 'buffer.reinit_share', 'sample_steps': 'sampling.steps',
      'sample_init': 'sampling.init', 'restore_steps': 'restore.steps',
      'restore_noise': 'restore.noise', 'corrupt_std': 'restore.corrupt_std'}
  net: str = 'mlp'              # mlp (vectors) | resnet (images)
  mlp: MLPConfig = MLPConfig()
  resnet: ResNetConfig = ResNetConfig()
  act: str = 'silu'             # smooth, so Langevin gradients are informative
  spectral_norm: bool = False   # spectral normalisation of every kernel
  conditional: bool = False     # one energy per class: E(x, y)
  alpha: float = 1.0            # L2 energy regulariser alpha * (E_data^2 + E_neg^2)
  sgld: SGLDConfig = SGLDConfig()   # training negatives (and eval negatives)
  buffer: BufferConfig = BufferConfig()
  noise_range: float = 4.0      # vectors: chains start in and stay in [-r, r]^D
  sampling: SamplingConfig = SamplingConfig()
  restore: RestoreConfig = RestoreConfig()

  def __post_init__(self):
    choice(self.net, NETS, 'net', 'energy network')
    choice(self.act, ACTIVATIONS, 'act', 'activation')
    require(self.alpha >= 0, 'alpha', self.alpha, 'must be >= 0')
    require(self.noise_range > 0, 'noise_range', self.noise_range, 'must be > 0')
    require(not (self.sampling.init == 'buffer' and not self.buffer.size), 'sampling.init',
            self.sampling.init, 'needs a replay buffer (model.buffer.size > 0)')


def check(run: RunConfig, info: DatasetInfo):
  """What the model section asks of the data and the batch sizes (one-line errors)."""
  m = run.model
  if m.net == 'resnet' and not info.is_image:
    raise ValueError(f"model.net='resnet' needs an image dataset; {info.name!r} is "
                     "2-D/tabular (use model.net='mlp')")
  biggest = max(run.train.batch_size, run.eval.batch_size)
  if 0 < m.buffer.size < biggest:
    raise ValueError(f'model.buffer.size={m.buffer.size} must be 0 or >= the batch size '
                     f'{biggest} (train.batch_size and eval.batch_size: each batch draws '
                     'distinct buffer slots)')
  if m.conditional and info.num_classes <= 0:
    raise ValueError(f'model.conditional=True needs a labelled dataset; {info.name!r} has no '
                     'labels')
