"""The GAN's `model` section (GANConfig) and its checks against the data.

What every net kind shares is flat (latent size, loss, regulariser, conditioning, InfoGAN
codes); the MLP nets read `model.mlp`, the conv nets (dcgan, resnet) `model.conv`, StyleGAN2
`model.stylegan2`, Progressive GAN `model.progan` (progan_config.py), BigGAN `model.biggan`
(biggan_config.py), and the discriminator's optimizer is `model.d_optimizer` (the generator's
is train.optimizer).
"""
from typing import ClassVar

from gdm.data.config import DataConfig
from gdm.data.source import DatasetInfo
from gdm.models.gan import biggan_config, nets, progan_config
from gdm.models.gan.biggan_config import BigGANNets
from gdm.models.gan.progan_config import ProGANNets
from gdm.models.gan.stylegan2_config import StyleGAN2Settings
from gdm.nn.conv import check_conv_data, check_levels
from gdm.nn.mlp import ACTIVATIONS
from gdm.objectives.adversarial import LOSSES, REGULARIZERS
from gdm.train.optim import OptimizerConfig
from gdm.utils.schema import choice, require, section

CONDITIONING = ('none', 'concat', 'acgan', 'projection')
MIN_TRUNCATION = 0.01
KIND_CHECKS = {'progan': progan_config.check, 'biggan': biggan_config.check}


@section
class MLPNets:
  """kind='mlp': MLP generator and discriminator (2-D toys, flattened images)."""
  g_hidden: tuple[int, ...] = (128, 128)
  d_hidden: tuple[int, ...] = (128, 128)
  g_act: str = 'relu'
  d_act: str = 'leaky_relu'

  def __post_init__(self):
    choice(self.g_act, ACTIVATIONS, 'g_act', 'activation')
    choice(self.d_act, ACTIVATIONS, 'd_act', 'activation')
    require(all(w > 0 for w in self.g_hidden + self.d_hidden), 'g_hidden', self.g_hidden,
            'and d_hidden must hold positive widths')


@section
class ConvNets:
  """kind='dcgan' | 'resnet': the image networks."""
  g_channels: tuple[int, ...] = (64, 128)   # one 2x up-sampling level per entry
  d_channels: tuple[int, ...] = (64, 128)   # dcgan: one stride-2 conv each; resnet: one block
  d_norm: str = 'batch'                     # dcgan discriminator: none | batch | layer
  d_downsample: int = 2                     # resnet discriminator: blocks that halve the size
  attention_res: int = 0                    # SAGAN self-attention at this map size; 0 = off

  def __post_init__(self):
    choice(self.d_norm, nets.D_NORMS, 'd_norm', 'discriminator norm')
    require(self.g_channels and self.d_channels, 'g_channels', self.g_channels,
            'and d_channels must list at least one level')
    require(all(c > 0 for c in self.g_channels + self.d_channels), 'g_channels',
            self.g_channels, 'and d_channels must hold positive widths')
    require(self.attention_res >= 0, 'attention_res', self.attention_res,
            'must be >= 0 (0 = off)')


@section
class GANConfig:
  # Keys that lived at the top of the section before the redesign (older runs' config.json).
  MOVED: ClassVar[dict] = {
      'g_hidden': 'mlp.g_hidden', 'd_hidden': 'mlp.d_hidden', 'act': 'mlp.g_act',
      'd_act': 'mlp.d_act', 'g_channels': 'conv.g_channels', 'd_channels': 'conv.d_channels',
      'd_norm': 'conv.d_norm', 'd_downsample': 'conv.d_downsample',
      'attention_res': 'conv.attention_res'}
  kind: str = 'mlp'                 # mlp | dcgan | resnet | progan | biggan
  latent_dim: int = 16
  mlp: MLPNets = MLPNets()
  conv: ConvNets = ConvNets()
  progan: ProGANNets = ProGANNets()
  biggan: BigGANNets = BigGANNets()
  spectral_norm: bool = False       # spectral normalisation of every discriminator layer
  loss: str = 'non_saturating'      # a key of gdm.objectives.adversarial.LOSSES
  regularizer: str = 'none'         # none | gradient_penalty | r1
  penalty_weight: float = 10.0      # gradient_penalty: lambda; r1: gamma (loss adds gamma/2 R1)
  weight_clip: float = 0.0          # WGAN: clip discriminator weights to [-c, c]; 0 = off
  n_critic: int = 1                 # discriminator updates per generator update
  conditioning: str = 'none'        # none | concat | acgan | projection (needs labels)
  aux_weight: float = 1.0           # acgan: weight of the auxiliary classification loss
  info_categorical: int = 0         # InfoGAN: categories of one categorical code; 0 = none
  info_continuous: int = 0          # InfoGAN: continuous codes ~ U[-1, 1]
  info_weight: float = 1.0          # InfoGAN: lambda of the mutual-information term
  drift_weight: float = 0.0         # D loss + this * E[D(x)^2] on real data (ProGAN: 0.001)
  ortho_weight: float = 0.0         # G loss + this * BigGAN's orthogonal penalty (1e-4)
  truncation: float = 0.0           # sampling: resample |z_i| > this (BigGAN); 0 = off
  d_optimizer: OptimizerConfig = OptimizerConfig()   # TTUR: differ it from train.optimizer
  stylegan2: StyleGAN2Settings = StyleGAN2Settings()  # kind='stylegan2' (stylegan2_config.py)

  def __post_init__(self):
    choice(self.kind, nets.KINDS, 'kind', 'GAN kind')
    choice(self.loss, LOSSES, 'loss', 'GAN loss')
    choice(self.regularizer, ('none',) + tuple(REGULARIZERS), 'regularizer',
           'discriminator regularizer')
    choice(self.conditioning, CONDITIONING, 'conditioning', 'conditioning')
    require(self.n_critic >= 1, 'n_critic', self.n_critic,
            'must be >= 1 (discriminator updates per generator update)')
    require(self.latent_dim >= 1, 'latent_dim', self.latent_dim, 'must be >= 1')
    for key in ('penalty_weight', 'weight_clip', 'aux_weight', 'info_weight', 'drift_weight',
                'ortho_weight', 'truncation'):
      require(getattr(self, key) >= 0, key, getattr(self, key), 'must be >= 0')
    require(self.truncation == 0 or self.truncation >= MIN_TRUNCATION, 'truncation',
            self.truncation, f'must be 0 (off) or >= {MIN_TRUNCATION} (resampling needs about '
            f'1 / (0.8 t) draws per entry)')
    require(self.info_categorical == 0 or self.info_categorical >= 2, 'info_categorical',
            self.info_categorical, 'must be 0 or >= 2 (categories of the InfoGAN code)')
    require(self.info_continuous >= 0, 'info_continuous', self.info_continuous,
            'must be >= 0')
    require(not (self.conv.attention_res and self.kind == 'mlp'), 'conv.attention_res',
            self.conv.attention_res, "needs a conv model (dcgan or resnet), not model.kind='mlp'")
    require(self.regularizer == 'none' or self.kind != 'dcgan' or self.conv.d_norm != 'batch',
            'regularizer', self.regularizer, "needs per-example critic gradients: use "
            "model.conv.d_norm='layer' or 'none', not 'batch'")


def output_activation(data: DataConfig, info: DatasetInfo) -> str:
  """The generator's last nonlinearity: the range of the prepared data."""
  if not info.is_image:
    return 'linear'
  if data.binarize != 'none' or data.scale == 'zero_one':
    return 'sigmoid'
  if data.scale == 'minus_one_one':
    return 'tanh'
  raise ValueError(f"a GAN generator on images needs data.scale='minus_one_one' or "
                   f"'zero_one' (a bounded output), not {data.scale!r}")


def _check_attention(m: GANConfig, info: DatasetInfo):
  c = m.conv
  if not c.attention_res:
    return
  size = info.shape[0]
  ok = sorted(set(nets.generator_resolutions(m.kind, size, c.g_channels))
              & set(nets.discriminator_resolutions(m.kind, size, c.d_channels,
                                                   c.d_downsample)))
  if c.attention_res not in ok:
    raise ValueError(f'model.conv.attention_res={c.attention_res} is not a feature-map size '
                     f'of both networks; choose one of: {", ".join(map(str, ok)) or "none"}')


def check(m: GANConfig, data: DataConfig, info: DatasetInfo):
  """What the model section asks of the data (one-line errors)."""
  if m.conditioning != 'none' and info.num_classes <= 0:
    raise ValueError(f'model.conditioning={m.conditioning!r} needs a labelled dataset; '
                     f'{info.name!r} has no labels')
  if m.kind in KIND_CHECKS:
    KIND_CHECKS[m.kind](m, info)
  c = m.conv
  if m.kind == 'dcgan':
    check_conv_data(info, c.g_channels, "model.kind='dcgan'")
    check_levels(info.shape[0], c.d_channels)
  elif m.kind == 'resnet':
    check_conv_data(info, c.g_channels, "model.kind='resnet'")
    if not 0 <= c.d_downsample <= len(c.d_channels):
      raise ValueError(f'model.conv.d_downsample={c.d_downsample} must be in [0, '
                       f'len(model.conv.d_channels)={len(c.d_channels)}]')
    check_levels(info.shape[0], c.d_channels[:c.d_downsample])
  _check_attention(m, info)
  output_activation(data, info)
