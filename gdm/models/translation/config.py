"""The translation family's `model` section (TranslationConfig) and its checks on the data.

Shared and flat: the variant (`kind`), the PatchGAN discriminator (`patch`), spectral norm,
random jitter and the discriminators' optimizer (the generators' is train.optimizer). Each
variant's nets and loss weights are its own sub-section, `model.pix2pix` / `model.cyclegan`,
with the paper's values as defaults.
"""
from gdm.data.config import DataConfig
from gdm.data.source import DatasetInfo
from gdm.models.gan.config import output_activation
from gdm.nn import patchgan
from gdm.nn.conv import check_conv_data
from gdm.nn.image_norm import NORMS
from gdm.objectives.adversarial import LOSSES
from gdm.train.optim import OptimizerConfig
from gdm.utils.schema import choice, require, section

KINDS = ('pix2pix', 'cyclegan')
FULL_IMAGE = 0     # model.patch.receptive_field: one score per image, from all of it


def _check_gan(settings, norm_what: str = 'norm'):
  choice(settings.loss, LOSSES, 'loss', 'GAN loss')
  choice(settings.norm, NORMS, 'norm', norm_what)
  require(settings.gan_weight > 0, 'gan_weight', settings.gan_weight, 'must be > 0')


@section
class PatchSpec:
  """The PatchGAN discriminator(s) (gdm.nn.patchgan)."""
  receptive_field: int = 70    # 1, 16, 34, 70, 142, 286, or 0 = the full image
  channels: int = 64           # first layer's width, doubling per level
  max_channels: int = 512

  def __post_init__(self):
    choice(self.receptive_field, (FULL_IMAGE,) + patchgan.RECEPTIVE_FIELDS,
           'receptive_field', 'PatchGAN receptive field (0 = the full image)')
    require(self.channels >= 1 and self.max_channels >= self.channels, 'channels',
            self.channels, 'must be >= 1 and <= model.patch.max_channels')


@section
class Pix2PixSettings:
  """U-Net generator, conditional PatchGAN on (source, image), cGAN + l1_weight * L1."""
  channels: tuple[int, ...] = (64, 128, 256, 512, 512, 512, 512, 512)   # 256x256 -> 1x1
  norm: str = 'batch'          # batch | instance | none, in G and D
  dropout: float = 0.5
  dropout_levels: int = 3      # decoder layers with dropout, from the innermost
  eval_dropout: bool = True    # dropout at test time too (the paper's noise)
  l1_weight: float = 100.0     # lambda
  loss: str = 'non_saturating'  # a key of gdm.objectives.adversarial.LOSSES
  gan_weight: float = 1.0      # weight of the generator's adversarial term

  def __post_init__(self):
    _check_gan(self)
    require(self.channels and all(c > 0 for c in self.channels), 'channels', self.channels,
            'must list positive widths, one per halving')
    require(0 <= self.dropout < 1, 'dropout', self.dropout, 'must be in [0, 1)')
    require(self.dropout_levels >= 0, 'dropout_levels', self.dropout_levels, 'must be >= 0')
    require(self.l1_weight >= 0, 'l1_weight', self.l1_weight, 'must be >= 0')


@section
class CycleGANSettings:
  """Two ResNet generators and two PatchGANs, adversarial + cycle + identity losses."""
  channels: int = 64           # c7s1-64; the residual blocks run at channels * 2**downsample
  num_blocks: int = 9          # residual blocks (9 at 256x256, 6 at 128x128)
  downsample: int = 2          # stride-2 convs before the blocks
  norm: str = 'instance'       # batch | instance | none, in G and D
  cycle_weight: float = 10.0   # lambda
  identity_weight: float = 0.5  # the identity loss's weight, as a share of cycle_weight
  pool_size: int = 50          # fakes in each history buffer; 0 = off
  loss: str = 'lsgan'
  # LSGAN's pair halves its squares; 2 makes the generator's term the paper's
  # (D(G(x)) - 1)^2 next to the cycle term (Zhu et al., 2017, eq. 2 and Sec. 4).
  gan_weight: float = 2.0

  def __post_init__(self):
    _check_gan(self)
    for key in ('channels', 'num_blocks'):
      require(getattr(self, key) >= 1, key, getattr(self, key), 'must be >= 1')
    require(self.downsample >= 0, 'downsample', self.downsample, 'must be >= 0')
    for key in ('cycle_weight', 'identity_weight'):
      require(getattr(self, key) >= 0, key, getattr(self, key), 'must be >= 0')
    require(self.pool_size >= 0, 'pool_size', self.pool_size, 'must be >= 0 (0 = off)')


@section
class TranslationConfig:
  kind: str = 'pix2pix'        # pix2pix | cyclegan
  patch: PatchSpec = PatchSpec()
  spectral_norm: bool = False  # spectral normalisation of every discriminator layer
  # Random jitter (Isola et al., 2017, Sec. 6.2): resize to jitter_size, crop back at
  # random, the two images of a pair alike; 0 = off (the papers: 286 for 256x256).
  jitter_size: int = 0
  d_optimizer: OptimizerConfig = OptimizerConfig()
  pix2pix: Pix2PixSettings = Pix2PixSettings()
  cyclegan: CycleGANSettings = CycleGANSettings()

  def __post_init__(self):
    choice(self.kind, KINDS, 'kind', 'translation model')
    require(self.jitter_size >= 0, 'jitter_size', self.jitter_size, 'must be >= 0 (0 = off)')


def discriminator_field(m: TranslationConfig, image_size: int) -> tuple[int, bool]:
  """(receptive field, pooled) of the PatchGAN for this image size."""
  if m.patch.receptive_field == FULL_IMAGE:
    try:
      return patchgan.full_image_field(image_size), True
    except ValueError as e:
      raise ValueError(f'model.patch.receptive_field=0: {e}') from None
  return m.patch.receptive_field, False


def check(m: TranslationConfig, data: DataConfig, info: DatasetInfo, batch_size: int):
  """What the model section asks of the data and the run (one-line errors)."""
  if not info.is_translation:
    raise ValueError(f'the translation family needs image-to-image data (paired or two '
                     f'domains: digits_edges, digits_colorize, digits_invert, cifar10_gray, '
                     f'cycle_gan/*, paired_folder, unpaired_folder); {info.name!r} is not')
  if data.binarize != 'none' or data.dequantize:
    raise ValueError('the translation family maps images to images in data.scale: set '
                     "data.binarize='none' and data.dequantize=False")
  output_activation(data, info)
  kind = f'model.kind={m.kind!r}'
  if m.kind == 'pix2pix':
    if info.pairing != 'paired':
      raise ValueError(f"{kind} needs paired data; {info.name!r} is two unpaired domains "
                       f"(use model.kind='cyclegan')")
    check_conv_data(info, m.pix2pix.channels, f'{kind} (model.pix2pix.channels)')
  else:
    c = m.cyclegan
    check_conv_data(info, (), kind)
    if info.shape[0] % 2 ** c.downsample:
      raise ValueError(f'model.cyclegan.downsample={c.downsample} needs an image size '
                       f'divisible by {2 ** c.downsample}; these are '
                       f'{info.shape[0]}x{info.shape[1]} (set data.image_size)')
    if c.identity_weight > 0 and info.shape[-1] != info.target_shape[-1]:
      raise ValueError(f'model.cyclegan.identity_weight={c.identity_weight} needs domains '
                       f'with the same channels (A has {info.shape[-1]}, B '
                       f'{info.target_shape[-1]}): set it to 0')
    if c.pool_size and c.pool_size < batch_size:
      raise ValueError(f'model.cyclegan.pool_size={c.pool_size} must be 0 (off) or >= '
                       f'train.batch_size={batch_size}')
  size = info.shape[0]
  rf, _ = discriminator_field(m, size)
  if patchgan.output_size(size, rf) < 1:
    smallest = next(s for s in range(1, 4096) if patchgan.output_size(s, rf) >= 1)
    raise ValueError(f'model.patch.receptive_field={rf} needs images of at least '
                     f'{smallest}x{smallest}; these are {size}x{size} (choose a smaller '
                     f'field or set data.image_size)')
  if m.jitter_size and m.jitter_size < size:
    raise ValueError(f'model.jitter_size={m.jitter_size} must be 0 (off) or >= the image '
                     f'size {size}')
