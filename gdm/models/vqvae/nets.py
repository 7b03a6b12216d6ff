"""The VQ-VAE's networks: a strided conv encoder to code_dim channels and its mirror decoder
(gdm/nn/spatial_conv.py); the quantizer between them has no layers (gdm/nn/vector_quantizer)."""
from gdm.data.source import DatasetInfo
from gdm.models.vqvae.config import VQVAEConfig
from gdm.nn.spatial_conv import SpatialDecoder, SpatialEncoder


def build_networks(m: VQVAEConfig, info: DatasetInfo, dtype):
  encoder = SpatialEncoder(tuple(m.channels), m.code_dim, m.num_res_blocks, m.res_channels,
                           m.act, dtype)
  decoder = SpatialDecoder(tuple(m.channels), info.shape[-1], m.num_res_blocks,
                           m.res_channels, m.act, dtype)
  return encoder, decoder
