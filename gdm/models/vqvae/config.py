"""The VQ-VAE's `model` section, and the checks that need the dataset too."""
from gdm.data.source import DatasetInfo
from gdm.nn.conv import check_conv_data
from gdm.nn.mlp import ACTIVATIONS
from gdm.utils.schema import choice, require, section


@section
class VQVAEConfig:
  channels: tuple[int, ...] = (256, 256)  # one stride-2 4x4 conv per entry (the paper: 2 of 256)
  num_res_blocks: int = 2       # residual blocks after the encoder / before the decoder convs
  res_channels: int = 256       # width of each block's 3x3 conv
  act: str = 'relu'
  num_codes: int = 512          # K
  code_dim: int = 64            # D
  commitment_cost: float = 0.25  # beta
  ema_codebook: bool = False    # True: EMA codebook in model_state, no codebook loss
  codebook_decay: float = 0.99  # EMA decay of the cluster sizes and sums
  codebook_epsilon: float = 1e-5  # Laplace smoothing of the EMA cluster sizes
  dead_code_threshold: float = 0.0  # EMA only: restart codes chosen less often per batch; 0 = off
  # A trained prior over this run's codes (autoregressive vqvae_prior_*.py): then samples come
  # from it. Read only by the launcher's family (gdm/models/vqvae_prior.py), not the codec.
  prior_workdir: str = ''

  def __post_init__(self):
    require(len(self.channels) > 0, 'channels', self.channels,
            'must list at least one stride-2 level')
    require(all(c > 0 for c in self.channels), 'channels', self.channels,
            'must hold positive widths')
    check_codec_fields(self)
    require(self.dead_code_threshold == 0 or self.ema_codebook, 'dead_code_threshold',
            self.dead_code_threshold, 'needs model.ema_codebook=True (restarts rewrite the '
            'codebook, which only an EMA codebook in model_state allows)')
    choice(self.act, ACTIVATIONS, 'act', 'activation')


def check_codec_fields(m):
  """The range checks of the fields a VQ-VAE and a VQ-VAE-2 section share."""
  for key in ('num_codes', 'code_dim', 'res_channels'):
    require(getattr(m, key) >= 1, key, getattr(m, key), 'must be >= 1')
  require(m.num_res_blocks >= 0, 'num_res_blocks', m.num_res_blocks, 'must be >= 0')
  require(m.commitment_cost >= 0, 'commitment_cost', m.commitment_cost, 'must be >= 0')
  require(0 <= m.codebook_decay < 1, 'codebook_decay', m.codebook_decay, 'must be in [0, 1)')
  require(m.codebook_epsilon > 0, 'codebook_epsilon', m.codebook_epsilon, 'must be > 0')
  require(m.dead_code_threshold >= 0, 'dead_code_threshold', m.dead_code_threshold,
          'must be >= 0')


def check(m: VQVAEConfig, info: DatasetInfo):
  """What the model section asks of the data (one-line errors)."""
  check_conv_data(info, m.channels, 'the VQ-VAE')
