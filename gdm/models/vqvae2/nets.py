"""The VQ-VAE-2 networks (Razavi et al., 2019, sec. 3.1 and fig. 2a), from the VQ-VAE's
conv blocks (gdm/nn/spatial_conv.py): the bottom encoder maps the image to the bottom map,
the top encoder that map to the top one (ending in the top codes' dimension D); the top
decoder brings the quantized top codes back to the bottom resolution, where, concatenated
with the bottom encoder's features, a 1x1 conv gives the bottom latents; the decoder reads
the quantized bottom codes with the upsampled quantized top codes. Quantization (two EMA
codebooks) happens between the methods, in the family."""
import flax.linen as nn
import jax.numpy as jnp

from gdm.models.vqvae2.config import VQVAE2Config
from gdm.nn.spatial_conv import SpatialDecoder, SpatialEncoder, kernel_init


class VQVAE2Nets(nn.Module):
  m: VQVAE2Config
  out_channels: int
  dtype: jnp.dtype = jnp.float32

  def setup(self):
    m, d = self.m, self.dtype
    blocks = (m.num_res_blocks, m.res_channels, m.act, d)
    self.enc_b = SpatialEncoder(tuple(m.bottom_channels), m.bottom_channels[-1], *blocks)
    self.enc_t = SpatialEncoder(tuple(m.top_channels), m.code_dim, *blocks)
    self.dec_t = SpatialDecoder(tuple(m.top_channels), m.code_dim, *blocks)
    self.pre_b = nn.Conv(m.code_dim, (1, 1), dtype=d, kernel_init=kernel_init)
    self.up_t = [nn.ConvTranspose(m.code_dim, (4, 4), strides=(2, 2), padding='SAME', dtype=d,
                                  kernel_init=kernel_init) for _ in m.top_channels]
    self.dec = SpatialDecoder(tuple(m.bottom_channels), self.out_channels, *blocks)

  def encode(self, x):
    """Image -> (bottom features, top latents before quantization)."""
    h_b = self.enc_b(x)
    return h_b, self.enc_t(h_b)

  def bottom_latents(self, h_b, q_t):
    """Bottom latents before quantization, from the bottom features and quantized top."""
    return self.pre_b(jnp.concatenate([h_b, self.dec_t(q_t).astype(h_b.dtype)], -1))

  def decode(self, q_t, q_b):
    up = q_t
    for layer in self.up_t:
      up = layer(up)
    return self.dec(jnp.concatenate([up.astype(q_b.dtype), q_b], -1))

  def __call__(self, x):
    """Every layer without quantization: for init."""
    h_b, z_t = self.encode(x)
    z_b = self.bottom_latents(h_b, z_t)
    return self.decode(z_t, z_b)
