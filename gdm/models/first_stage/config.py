"""The first stage's `model` section: the autoencoder a latent diffusion model runs in.

Flat keys are the nets and the reconstruction loss; the regulariser has a section per kind
(model.kl, model.vq; model.regularizer picks one) and the optional patch adversarial loss
its own (model.adversarial, off while its weight is 0).
"""
from gdm.data.source import DatasetInfo
from gdm.models.first_stage.regularizers import REGULARIZERS
from gdm.nn.conv import check_conv_data
from gdm.nn.mlp import ACTIVATIONS
from gdm.nn.patch_discriminator import NORMS, patch_levels
from gdm.objectives.adversarial import LOSSES
from gdm.train.optim import OptimizerConfig
from gdm.utils.schema import FieldError, choice, require, section

NETS = ('conv', 'identity')
RECONSTRUCTION = ('l1', 'l2')


@section
class KLSettings:
  """regularizer='kl': a diagonal Gaussian posterior, KL(q(z|x) || N(0, I)) weighted."""
  weight: float = 1e-6          # LDM's kl_weight: a mild pull, not a VAE

  def __post_init__(self):
    require(self.weight >= 0, 'weight', self.weight, 'must be >= 0')


@section
class VQSettings:
  """regularizer='vq': an EMA codebook after the decoder's first layer (LDM's VQ-reg.: the
  diffusion model sees the encoder's output before quantization)."""
  num_codes: int = 512
  commitment_cost: float = 0.25
  decay: float = 0.99
  epsilon: float = 1e-5
  dead_code_threshold: float = 0.0   # restart codes chosen less often per batch; 0 = off

  def __post_init__(self):
    require(self.num_codes >= 1, 'num_codes', self.num_codes, 'must be >= 1')
    require(self.commitment_cost >= 0, 'commitment_cost', self.commitment_cost, 'must be >= 0')
    require(0 <= self.decay < 1, 'decay', self.decay, 'must be in [0, 1)')
    require(self.epsilon > 0, 'epsilon', self.epsilon, 'must be > 0')
    require(self.dead_code_threshold >= 0, 'dead_code_threshold', self.dead_code_threshold,
            'must be >= 0')


@section
class AdversarialSettings:
  """A PatchGAN on the reconstructions (taming-transformers / LDM), as a second player."""
  weight: float = 0.0           # > 0 turns it on (LDM: disc_weight 0.5)
  loss: str = 'hinge'           # a key of gdm.objectives.adversarial.LOSSES
  start_step: int = 0           # the discriminator and its term start here (LDM: 50001)
  channels: tuple[int, ...] = (64, 128, 256)
  norm: str = 'layer'           # none | layer
  optimizer: OptimizerConfig = OptimizerConfig()

  def __post_init__(self):
    require(self.weight >= 0, 'weight', self.weight, 'must be >= 0 (0 = off)')
    choice(self.loss, LOSSES, 'loss', 'GAN loss')
    require(self.start_step >= 0, 'start_step', self.start_step, 'must be >= 0')
    require(len(self.channels) >= 1 and all(c > 0 for c in self.channels), 'channels',
            self.channels, 'must hold one or more positive widths')
    choice(self.norm, NORMS, 'norm', 'discriminator norm')

  @property
  def on(self) -> bool:
    return self.weight > 0


@section
class FirstStageConfig:
  net: str = 'conv'             # conv | identity (no network: latents are the data)
  channels: tuple[int, ...] = (64, 128)   # conv: one stride-2 level each (f = 2**levels)
  num_res_blocks: int = 1
  res_channels: int = 64
  act: str = 'relu'
  z_channels: int = 4           # channels of the latent map
  reconstruction: str = 'l1'    # l1 (LDM) | l2: per-example sums
  regularizer: str = 'kl'       # kl | vq | none
  kl: KLSettings = KLSettings()
  vq: VQSettings = VQSettings()
  adversarial: AdversarialSettings = AdversarialSettings()

  def __post_init__(self):
    choice(self.net, NETS, 'net', 'first-stage net')
    choice(self.regularizer, REGULARIZERS, 'regularizer', 'latent regulariser')
    choice(self.reconstruction, RECONSTRUCTION, 'reconstruction', 'reconstruction loss')
    choice(self.act, ACTIVATIONS, 'act', 'activation')
    require(len(self.channels) >= 1 and all(c > 0 for c in self.channels), 'channels',
            self.channels, 'must hold one or more positive widths')
    for key in ('z_channels', 'res_channels'):
      require(getattr(self, key) >= 1, key, getattr(self, key), 'must be >= 1')
    require(self.num_res_blocks >= 0, 'num_res_blocks', self.num_res_blocks, 'must be >= 0')
    if self.net == 'identity' and self.regularizer != 'none':
      raise FieldError('regularizer', f"{FieldError.PLACEHOLDER}={self.regularizer!r}: the "
                       "identity first stage has no latent to regularise: set 'none'")

  @property
  def regularizer_settings(self):
    """The chosen regulariser's own section (None for 'none')."""
    return getattr(self, self.regularizer, None)


def check(m: FirstStageConfig, info: DatasetInfo):
  """What the model section asks of the data (one-line errors)."""
  if m.net == 'identity':
    return
  check_conv_data(info, m.channels, 'the first stage')
  if m.adversarial.on:
    patch_levels(info.shape[0], m.adversarial.channels)
