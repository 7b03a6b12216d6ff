"""BigGAN's generator (Brock et al., 2019, Appendix B, Figure 15; SNGAN/SAGAN ResNet layout).

  z is split into len(channels) + 1 equal chunks (hierarchical latent): the first feeds the
  dense layer to the 4x4 base map, chunk i + 1 conditions block i. Each class has a shared
  embedding (`shared_dim`); block i's batch norms take c_i = [embed(y), chunk i + 1]
  (ProjectedBatchNorm: gain 1 + W_g c_i, bias W_b c_i). Without `hierarchical` the whole z
  feeds the dense layer and c_i = embed(y); unconditional and not hierarchical: plain BN.
  Block: BN(c) -> ReLU -> 2x up -> conv 3x3 -> BN(c) -> ReLU -> conv 3x3, plus a 2x-up 1x1
  conv shortcut. Then BN, ReLU, conv 3x3 to the image and the output nonlinearity.
  SAGAN self-attention after the block whose output is `attention_res` wide.

Every layer is spectrally normalised when `spectral_norm` (BigGAN normalises G as well as D),
its power iterations advancing only with `update_stats` (the generator's own update);
kernels start orthogonal (BigGAN's init). The discriminator is the SNGAN ResNet one of
gdm.models.gan.nets with the projection head, as in BigGAN.
"""
from typing import Sequence

import flax.linen as nn
import jax.numpy as jnp

from gdm.models.gan.growth import upscale
from gdm.models.gan.nets import OUTPUTS
from gdm.nn.conditional_batchnorm import ConditionalBatchNorm, ProjectedBatchNorm
from gdm.nn.self_attention import SelfAttention
from gdm.nn.spectral_norm import apply_layer

ORTHOGONAL = nn.initializers.orthogonal()


def num_chunks(num_blocks: int, hierarchical: bool) -> int:
  return num_blocks + 1 if hierarchical else 1


class BigGANBlock(nn.Module):
  channels: int
  spectral_norm: bool
  dtype: jnp.dtype

  @nn.compact
  def __call__(self, x, cond, update_stats):
    def conv(c, k, name, v):
      layer = nn.Conv(c, (k, k), padding='SAME', kernel_init=ORTHOGONAL, dtype=self.dtype,
                      name=name)
      return apply_layer(layer, v, self.spectral_norm, update_stats)

    def norm(name, v):
      if cond is None:
        return nn.relu(ConditionalBatchNorm(name=name)(v))
      return nn.relu(ProjectedBatchNorm(self.spectral_norm, name=name)(v, cond, update_stats))

    h = conv(self.channels, 3, 'conv0', upscale(norm('norm0', x), 2))
    h = conv(self.channels, 3, 'conv1', norm('norm1', h))
    return h + conv(self.channels, 1, 'shortcut', upscale(x, 2))


class BigGANGenerator(nn.Module):
  channels: Sequence[int]       # one up-sampling block per entry, from the 4x4 (or smaller) base
  image_size: int
  out_channels: int
  num_classes: int = 0          # > 0: class-conditional through the shared embedding
  shared_dim: int = 128
  hierarchical: bool = True
  attention_res: int = 0
  spectral_norm: bool = True
  output: str = 'tanh'
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, z, y=None, update_stats=False):
    n = len(self.channels)
    chunks = jnp.split(z.astype(jnp.float32), num_chunks(n, self.hierarchical), axis=-1)
    shared = None
    if self.num_classes:
      shared = nn.Embed(self.num_classes, self.shared_dim, embedding_init=ORTHOGONAL,
                        name='shared')(y)
    base = self.image_size // 2 ** n
    dense = nn.Dense(base * base * self.channels[0], kernel_init=ORTHOGONAL, dtype=self.dtype,
                     name='in')
    x = apply_layer(dense, chunks[0], self.spectral_norm, update_stats)
    x = x.reshape(z.shape[0], base, base, self.channels[0])
    for i, c in enumerate(self.channels):
      parts = ([] if shared is None else [shared]) + (
          [chunks[i + 1]] if self.hierarchical else [])
      cond = jnp.concatenate(parts, axis=-1) if parts else None
      x = BigGANBlock(c, self.spectral_norm, self.dtype, name=f'block{i}')(x, cond,
                                                                           update_stats)
      if x.shape[1] == self.attention_res:
        x = SelfAttention(self.spectral_norm, self.dtype, name='attention')(x, update_stats)
    x = nn.relu(ConditionalBatchNorm(name='norm_out')(x))
    out = nn.Conv(self.out_channels, (3, 3), padding='SAME', kernel_init=ORTHOGONAL,
                  dtype=self.dtype, name='out')
    x = apply_layer(out, x, self.spectral_norm, update_stats)
    return OUTPUTS[self.output](x.astype(jnp.float32))
