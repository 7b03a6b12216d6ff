"""The VQ-VAE-2 codec's `model` section (Razavi et al., 2019), and its checks on the data."""
from gdm.data.source import DatasetInfo
from gdm.models.vqvae.config import check_codec_fields
from gdm.nn.conv import check_conv_data
from gdm.nn.mlp import ACTIVATIONS
from gdm.utils.schema import choice, require, section


@section
class VQVAE2Config:
  # One stride-2 4x4 conv per entry: image -> bottom map, then bottom -> top map. The paper's
  # 256x256 ImageNet model: 64x64 bottom, 32x32 top; at 64x64 input: 16x16 and 8x8.
  bottom_channels: tuple[int, ...] = (128, 128)
  top_channels: tuple[int, ...] = (128,)
  num_res_blocks: int = 2
  res_channels: int = 64
  act: str = 'relu'
  num_codes: int = 512          # K, each level's codebook
  code_dim: int = 64            # D
  commitment_cost: float = 0.25  # beta
  codebook_decay: float = 0.99  # EMA codebooks (the paper's appendix A)
  codebook_epsilon: float = 1e-5
  dead_code_threshold: float = 0.0   # restart codes chosen less often per batch; 0 = off

  def __post_init__(self):
    for key in ('bottom_channels', 'top_channels'):
      value = getattr(self, key)
      require(len(value) >= 1 and all(c > 0 for c in value), key, value,
              'must list one or more positive widths (stride-2 levels)')
    check_codec_fields(self)
    choice(self.act, ACTIVATIONS, 'act', 'activation')

  @property
  def levels(self) -> tuple[int, int]:
    """Halvings from the image to the bottom map, and from the bottom map to the top one."""
    return len(self.bottom_channels), len(self.top_channels)


def check(m: VQVAE2Config, info: DatasetInfo):
  """What the model section asks of the data (one-line errors)."""
  check_conv_data(info, m.bottom_channels + m.top_channels, 'the VQ-VAE-2 (both levels)')
