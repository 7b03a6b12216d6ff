"""`model.stylegan2`: StyleGAN2's own keys (Karras et al., 2020; defaults are config F of the
official code, NVlabs/stylegan2 run_training.py, training_loop.py, loss.py and
networks_stylegan2.py), and what kind='stylegan2' asks of the rest of the run.

Shared GAN keys keep their meaning: `model.latent_dim` is z's size (512 in the paper),
`model.loss` the loss pair (non_saturating), `model.regularizer` and `model.penalty_weight`
the discriminator's regulariser and its weight (r1, gamma = 10), here applied lazily every
`d_reg_every` steps; `model.d_optimizer` and `train.optimizer` are the players' Adam (lr
0.002, betas 0 and 0.99), adjusted for the lazy updates (gdm.objectives.adversarial.lazy).
"""
import math

from gdm.data.config import DataConfig
from gdm.data.source import DatasetInfo
from gdm.utils.schema import require, section


@section
class StyleGAN2Settings:
  w_dim: int = 512                   # size of w (the mapping network's width too)
  mapping_layers: int = 8
  mapping_lr_mul: float = 0.01       # learning-rate multiplier of the mapping network
  channel_base: int = 32768          # channels at resolution r: min(channel_base // r,
  channel_max: int = 512             #   channel_max), in G and D
  style_mixing_prob: float = 0.9     # share of training batches with two ws (one crossover)
  w_avg_decay: float = 0.995         # running mean of w, the truncation trick's centre
  d_reg_every: int = 16              # lazy discriminator regulariser: every k steps
  pl_weight: float = 2.0             # path length regulariser's weight; 0 = off
  pl_every: int = 4                  # ... run every k steps
  pl_decay: float = 0.01             # ... its running mean's rate
  pl_batch_shrink: int = 2           # ... on batch_size // shrink examples
  mbstd_group: int = 4               # minibatch stddev group size; 1 = off
  mbstd_features: int = 1

  def __post_init__(self):
    for key in ('w_dim', 'mapping_layers', 'channel_base', 'channel_max', 'd_reg_every',
                'pl_every', 'pl_batch_shrink', 'mbstd_group', 'mbstd_features'):
      require(getattr(self, key) >= 1, key, getattr(self, key), 'must be >= 1')
    require(self.mapping_lr_mul > 0, 'mapping_lr_mul', self.mapping_lr_mul, 'must be > 0')
    require(0 <= self.style_mixing_prob <= 1, 'style_mixing_prob', self.style_mixing_prob,
            'must be in [0, 1]')
    require(0 <= self.w_avg_decay < 1, 'w_avg_decay', self.w_avg_decay, 'must be in [0, 1)')
    require(self.pl_weight >= 0, 'pl_weight', self.pl_weight, 'must be >= 0 (0 = off)')
    require(0 < self.pl_decay <= 1, 'pl_decay', self.pl_decay, 'must be in (0, 1]')

  def channels(self, resolution: int) -> int:
    return min(self.channel_base // resolution, self.channel_max)


def num_ws(resolution: int) -> int:
  """Styles the synthesis network reads: two per resolution from 8, two at 4x4."""
  return 2 * int(math.log2(resolution)) - 2


def check_stylegan2(m, data: DataConfig, info: DatasetInfo, batch_size: int):
  """What model.kind='stylegan2' asks of the data and of the shared GAN keys."""
  kind = "model.kind='stylegan2'"
  if not info.is_image:
    raise ValueError(f'{kind} needs an image dataset; {info.name!r} holds vectors')
  h, w = info.shape[:2]
  size = f'data.image_size={data.image_size}' if data.image_size else f'{info.name!r} images'
  if h != w or h < 4 or h & (h - 1):
    raise ValueError(f'{size}: {kind} needs square images whose side is a power of two >= 4, '
                     f'got {h}x{w}; set data.image_size (e.g. 16, 32, 256, 1024)')
  if m.conditioning != 'none' or m.info_categorical or m.info_continuous:
    raise ValueError(f"{kind} is unconditional: model.conditioning must be 'none' and "
                     f'model.info_categorical / info_continuous 0')
  if m.spectral_norm or m.weight_clip:
    raise ValueError(f'{kind} uses equalized learning rate: model.spectral_norm must be '
                     f'False and model.weight_clip 0')
  if m.conv.attention_res:
    raise ValueError(f'model.conv.attention_res={m.conv.attention_res}: {kind} has no '
                     f'self-attention; set it to 0')
  s = m.stylegan2
  if s.channels(4) % s.mbstd_features:
    raise ValueError(f'model.stylegan2.mbstd_features={s.mbstd_features} must divide the '
                     f'{s.channels(4)} channels at 4x4')
  if batch_size // s.pl_batch_shrink < 1:
    raise ValueError(f'model.stylegan2.pl_batch_shrink={s.pl_batch_shrink} leaves no '
                     f'example of train.batch_size={batch_size} for the path length term')
