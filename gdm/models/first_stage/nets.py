"""The first stage's networks: the VQ-VAE's strided conv encoder and its mirror decoder
(gdm/nn/spatial_conv.py), or the identity (no network: the latents are the data), and the
PatchGAN discriminator of the optional adversarial loss."""
import flax.linen as nn

from gdm.data.source import DatasetInfo
from gdm.models.first_stage.config import FirstStageConfig
from gdm.nn.patch_discriminator import PatchDiscriminator
from gdm.nn.spatial_conv import SpatialDecoder, SpatialEncoder


class Identity(nn.Module):
  """No parameters: x -> x."""

  def __call__(self, x):
    return x


def build_networks(m: FirstStageConfig, info: DatasetInfo, encoder_channels: int, dtype):
  """(encoder, decoder); the encoder outputs `encoder_channels` (the regulariser's ask)."""
  if m.net == 'identity':
    return Identity(), Identity()
  encoder = SpatialEncoder(tuple(m.channels), encoder_channels, m.num_res_blocks,
                           m.res_channels, m.act, dtype)
  decoder = SpatialDecoder(tuple(m.channels), info.shape[-1], m.num_res_blocks,
                           m.res_channels, m.act, dtype)
  return encoder, decoder


def build_discriminator(m: FirstStageConfig, dtype) -> nn.Module | None:
  a = m.adversarial
  return PatchDiscriminator(tuple(a.channels), a.norm, dtype) if a.on else None
