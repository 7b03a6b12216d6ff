"""The autoencoder's `model` section, and the checks that need the dataset too."""
from gdm.data.config import DataConfig
from gdm.data.source import DatasetInfo
from gdm.nn.conv import check_conv_data
from gdm.nn.mlp import ACTIVATIONS
from gdm.objectives.corruption import CORRUPTIONS
from gdm.objectives.reconstruction import RECONSTRUCTION_LOSSES
from gdm.utils.schema import choice, require, section

KINDS = ('mlp', 'conv', 'stacked')


@section
class AutoencoderConfig:
  kind: str = 'mlp'                       # mlp | conv | stacked
  hidden: tuple[int, ...] = (256, 128)    # mlp/stacked widths from the input side
  channels: tuple[int, ...] = (32, 64)    # conv: one stride-2 level per entry
  latent_dim: int = 16
  act: str = 'relu'
  loss: str = 'mse'                       # mse (any data) | bce (data in [0, 1])
  corruption: str = 'none'                # none | gaussian | masking | salt_and_pepper
  noise_level: float = 0.0                # gaussian: std; masking / salt_and_pepper: fraction
  stage_steps: int = 0                    # stacked: steps per greedy stage; 0 = even split
  finetune: bool = True                   # stacked: end-to-end stage after the greedy ones

  def __post_init__(self):
    choice(self.kind, KINDS, 'kind', 'autoencoder kind')
    choice(self.loss, RECONSTRUCTION_LOSSES, 'loss', 'reconstruction loss')
    choice(self.corruption, CORRUPTIONS, 'corruption', 'corruption')
    choice(self.act, ACTIVATIONS, 'act', 'activation')
    if self.corruption in ('masking', 'salt_and_pepper'):
      require(0.0 <= self.noise_level <= 1.0, 'noise_level', self.noise_level,
              f'is the {self.corruption} fraction: must be in [0, 1]')
    require(self.noise_level >= 0, 'noise_level', self.noise_level, 'must be >= 0')
    require(self.latent_dim > 0, 'latent_dim', self.latent_dim, 'must be > 0')
    require(self.stage_steps >= 0, 'stage_steps', self.stage_steps,
            'must be >= 0 (0 = split train.num_steps evenly)')
    require(all(w > 0 for w in self.hidden + self.channels), 'hidden', self.hidden,
            'and model.channels must hold positive widths')


def check(m: AutoencoderConfig, data: DataConfig, info: DatasetInfo):
  """What the model section asks of the data (one-line errors)."""
  if m.loss == 'bce' and not info.is_image:
    raise ValueError(f"model.loss='bce' needs data in [0, 1]; {info.name!r} is real-valued: "
                     f"use model.loss='mse'")
  if m.loss == 'bce' and not (data.scale == 'zero_one' or data.binarize != 'none'):
    raise ValueError(f"model.loss='bce' needs data in [0, 1]: set data.scale='zero_one' or "
                     f"data.binarize, not scale={data.scale!r}")
  if m.corruption == 'salt_and_pepper' and not info.is_image:
    raise ValueError(f"model.corruption='salt_and_pepper' needs images with a value range; "
                     f"{info.name!r} is real-valued: use gaussian or masking")
  if m.kind == 'conv':
    check_conv_data(info, m.channels)
