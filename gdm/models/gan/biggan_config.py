"""kind='biggan': the `model.biggan` section and its checks against the data."""
from gdm.data.source import DatasetInfo
from gdm.models.gan import nets
from gdm.models.gan.biggan_nets import num_chunks
from gdm.nn.conv import check_conv_data, check_levels
from gdm.utils.schema import require, section


@section
class BigGANNets:
  """BigGAN's generator and its ResNet discriminator (Brock et al., 2019)."""
  g_channels: tuple[int, ...] = (256, 256, 256)       # one up-sampling block each
  d_channels: tuple[int, ...] = (256, 256, 256, 256)  # one residual block each
  d_downsample: int = 2          # discriminator blocks that halve the resolution
  shared_dim: int = 128          # the shared class embedding feeding every conditional BN
  hierarchical: bool = True      # z split into a chunk per block (and one for the input)
  attention_res: int = 0         # self-attention in G and D at this map size; 0 = off
  g_spectral_norm: bool = True   # spectral norm in G too (D's: model.spectral_norm)

  def __post_init__(self):
    require(self.g_channels and self.d_channels, 'g_channels', self.g_channels,
            'and d_channels must list at least one block')
    require(all(c > 0 for c in self.g_channels + self.d_channels), 'g_channels',
            self.g_channels, 'and d_channels must hold positive widths')
    require(self.shared_dim >= 1, 'shared_dim', self.shared_dim, 'must be >= 1')
    require(self.attention_res >= 0, 'attention_res', self.attention_res,
            'must be >= 0 (0 = off)')


def check(m, info: DatasetInfo):
  b = m.biggan
  what = "model.kind='biggan'"
  check_conv_data(info, b.g_channels, what)
  if not 0 <= b.d_downsample <= len(b.d_channels):
    raise ValueError(f'model.biggan.d_downsample={b.d_downsample} must be in [0, '
                     f'len(model.biggan.d_channels)={len(b.d_channels)}]')
  check_levels(info.shape[0], b.d_channels[:b.d_downsample])
  if m.conditioning not in ('none', 'projection') or m.info_categorical or m.info_continuous:
    raise ValueError(f"{what} conditions through its shared embedding and the projection "
                     f"discriminator: set model.conditioning='projection' or 'none' (not "
                     f"{m.conditioning!r}) and no InfoGAN codes")
  chunks = num_chunks(len(b.g_channels), b.hierarchical)
  if m.latent_dim % chunks:
    raise ValueError(f'model.latent_dim={m.latent_dim} must split evenly into {chunks} chunks '
                     f'(len(model.biggan.g_channels) + 1, model.biggan.hierarchical=True)')
  if b.attention_res:
    size = info.shape[0]
    ok = sorted(set(nets.generator_resolutions('resnet', size, b.g_channels))
                & set(nets.discriminator_resolutions('resnet', size, b.d_channels,
                                                     b.d_downsample)))
    if b.attention_res not in ok:
      raise ValueError(f'model.biggan.attention_res={b.attention_res} is not a feature-map '
                       f'size of both networks; choose one of: '
                       f'{", ".join(map(str, ok)) or "none"}')
