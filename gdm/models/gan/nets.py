"""Generators and discriminators of the GAN family.

  mlp     MLP G and D for 2-D toys (and flattened images).
  dcgan   Radford et al. (2016): G = dense to a base map, stride-2 transposed convs with
          batch norm and ReLU, tanh/sigmoid output; D = stride-2 4x4 convs with leaky ReLU
          (0.2), batch/layer/no norm after the first. One level per entry of `channels`
          (28x28 -> base 7 with two levels, 32 -> 4 with three, 64 -> 4 with four).
  resnet  SNGAN's CIFAR-10 ResNets (Miyato et al., 2018, Table 4 / Gulrajani et al., 2017):
          G = dense to 4x4, up-sampling residual blocks with (conditional) batch norm; D =
          an "optimized" first block, residual blocks (the first `downsample` of them
          halve the resolution), ReLU, global sum pooling.

Every discriminator maps (x, y, update_stats) to a dict: `score` [B] and, when enabled,
`class_logits` (ACGAN's auxiliary classifier), `q_logits`/`q_mean` (InfoGAN's recognition
head Q(c|x)). With `projection_classes` the score adds <embed(y), phi(x)> (projection
discriminator, Miyato & Koyama, 2018). `spectral_norm` wraps every D layer; its power
iteration advances only when `update_stats`. SAGAN self-attention is inserted after the
layer whose output has resolution `attention_res` (0 = off) in G and in D.
"""
import math
from typing import NamedTuple, Sequence

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.nn.conditional_batchnorm import ConditionalBatchNorm
from gdm.nn.mlp import MLP, activation
from gdm.nn.self_attention import SelfAttention
from gdm.nn.spectral_norm import apply_layer

KINDS = ('mlp', 'dcgan', 'resnet', 'stylegan2', 'progan', 'biggan')
# stylegan2: stylegan2_nets.py; progan, biggan: progan_nets.py, biggan_nets.py
D_NORMS = ('none', 'batch', 'layer')
OUTPUTS = {'linear': lambda x: x, 'tanh': jnp.tanh, 'sigmoid': jax.nn.sigmoid}


def _leaky(x):
  return nn.leaky_relu(x, 0.2)


def _up(x):
  return jnp.repeat(jnp.repeat(x, 2, axis=1), 2, axis=2)


def _down(x):
  return nn.avg_pool(x, (2, 2), strides=(2, 2))


def generator_resolutions(kind: str, image_size: int, channels: Sequence[int]) -> list[int]:
  """Resolutions after which the generator can place self-attention."""
  base = image_size // 2 ** len(channels)
  if kind == 'dcgan':    # after the dense map and every transposed conv but the output one
    return [base * 2 ** i for i in range(len(channels))]
  return [base * 2 ** (i + 1) for i in range(len(channels))]   # after every up-block


def discriminator_resolutions(kind: str, image_size: int, channels: Sequence[int],
                              downsample: int) -> list[int]:
  if kind == 'dcgan':
    return [image_size // 2 ** (i + 1) for i in range(len(channels))]
  return [image_size // 2 ** min(i + 1, downsample) for i in range(len(channels))]


class HeadSpec(NamedTuple):
  """Which outputs a discriminator has besides its score."""
  projection_classes: int = 0    # > 0: projection discriminator
  aux_classes: int = 0           # > 0: ACGAN auxiliary classifier
  q_categorical: int = 0         # InfoGAN: categories of the categorical code
  q_continuous: int = 0          # InfoGAN: continuous codes


class _Heads(nn.Module):
  """The outputs every discriminator computes from its features h [B, F]."""
  spec: HeadSpec
  spectral_norm: bool
  dtype: jnp.dtype

  @nn.compact
  def __call__(self, h, y, update_stats):
    def sn(layer, v):
      return apply_layer(layer, v, self.spectral_norm, update_stats)

    spec, out = self.spec, {}
    score = sn(nn.Dense(1, dtype=self.dtype, name='score'), h)[:, 0]
    if spec.projection_classes:
      embed = sn(nn.Embed(spec.projection_classes, h.shape[-1], name='embed'), y)
      score = score + jnp.sum(embed.astype(h.dtype) * h, -1)
    out['score'] = score.astype(jnp.float32)
    if spec.aux_classes:
      out['class_logits'] = sn(nn.Dense(spec.aux_classes, dtype=self.dtype, name='classifier'),
                               h).astype(jnp.float32)
    if spec.q_categorical or spec.q_continuous:
      q = _leaky(nn.Dense(128, dtype=self.dtype, name='q_hidden')(h))
      q = nn.Dense(spec.q_categorical + spec.q_continuous, dtype=self.dtype,
                   name='q_out')(q).astype(jnp.float32)
      if spec.q_categorical:
        out['q_logits'] = q[:, :spec.q_categorical]
      if spec.q_continuous:
        out['q_mean'] = q[:, spec.q_categorical:]
    return out


class _Placed:
  """Inserts SAGAN attention once, after the first layer whose output has resolution res."""

  def __init__(self, res, spectral_norm, update_stats, dtype):
    self.res, self.sn, self.update, self.dtype, self.done = res, spectral_norm, update_stats, \
        dtype, False

  def __call__(self, x):
    if self.res and not self.done and x.shape[1] == self.res:
      self.done = True
      return SelfAttention(self.sn, self.dtype, name='attention')(x, self.update)
    return x


# --- MLP ------------------------------------------------------------------------------------

class MLPGenerator(nn.Module):
  hidden: Sequence[int]
  out_shape: tuple[int, ...]
  act: str = 'relu'
  output: str = 'linear'
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, z, y=None):
    x = MLP(tuple(self.hidden) + (math.prod(self.out_shape),), self.act, self.dtype,
            name='mlp')(z)
    return OUTPUTS[self.output](x.astype(jnp.float32)).reshape((-1,) + tuple(self.out_shape))


class MLPDiscriminator(nn.Module):
  hidden: Sequence[int]
  act: str = 'leaky_relu'
  heads: HeadSpec = HeadSpec()
  spectral_norm: bool = False
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, y=None, update_stats=False):
    h, act = x.reshape(x.shape[0], -1).astype(self.dtype), activation(self.act)
    for i, f in enumerate(self.hidden):
      h = act(apply_layer(nn.Dense(f, dtype=self.dtype, name=f'dense{i}'), h,
                          self.spectral_norm, update_stats))
    return _Heads(self.heads, self.spectral_norm, self.dtype, name='heads')(h, y, update_stats)


# --- DCGAN ----------------------------------------------------------------------------------

class DCGANGenerator(nn.Module):
  channels: Sequence[int]        # from the image side, as the discriminator's
  image_size: int
  out_channels: int
  num_classes: int = 0           # > 0: class-conditional batch norm
  attention_res: int = 0
  output: str = 'tanh'
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, z, y=None):
    chans = list(self.channels)[::-1]
    base = self.image_size // 2 ** len(chans)
    norm = lambda v, name: nn.relu(ConditionalBatchNorm(self.num_classes, name=name)(v, y))
    x = nn.Dense(base * base * chans[0], dtype=self.dtype, name='in')(z)
    attend = _Placed(self.attention_res, False, False, self.dtype)
    x = attend(norm(x.reshape(z.shape[0], base, base, chans[0]), 'norm_in'))
    for i, c in enumerate(chans[1:]):
      x = nn.ConvTranspose(c, (4, 4), strides=(2, 2), padding='SAME', dtype=self.dtype,
                           name=f'deconv{i}')(x)
      x = attend(norm(x, f'norm{i}'))
    x = nn.ConvTranspose(self.out_channels, (4, 4), strides=(2, 2), padding='SAME',
                         dtype=self.dtype, name='out')(x)
    return OUTPUTS[self.output](x.astype(jnp.float32))


class DCGANDiscriminator(nn.Module):
  channels: Sequence[int]
  norm: str = 'batch'
  attention_res: int = 0
  heads: HeadSpec = HeadSpec()
  spectral_norm: bool = False
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, y=None, update_stats=False):
    h = x.astype(self.dtype)
    attend = _Placed(self.attention_res, self.spectral_norm, update_stats, self.dtype)
    for i, c in enumerate(self.channels):
      h = apply_layer(nn.Conv(c, (4, 4), strides=2, padding='SAME', dtype=self.dtype,
                              name=f'conv{i}'), h, self.spectral_norm, update_stats)
      if i > 0 and self.norm == 'batch':
        h = ConditionalBatchNorm(name=f'norm{i}')(h)
      elif i > 0 and self.norm == 'layer':
        h = nn.LayerNorm(reduction_axes=(-3, -2, -1), dtype=self.dtype, name=f'norm{i}')(h)
      h = attend(_leaky(h))
    h = h.reshape(h.shape[0], -1)
    return _Heads(self.heads, self.spectral_norm, self.dtype, name='heads')(h, y, update_stats)


# --- ResNet (SNGAN) -------------------------------------------------------------------------

class _GBlock(nn.Module):
  channels: int
  num_classes: int
  dtype: jnp.dtype

  @nn.compact
  def __call__(self, x, y):
    conv = lambda c, k, name: nn.Conv(c, (k, k), padding='SAME', dtype=self.dtype, name=name)
    h = nn.relu(ConditionalBatchNorm(self.num_classes, name='norm0')(x, y))
    h = conv(self.channels, 3, 'conv0')(_up(h))
    h = nn.relu(ConditionalBatchNorm(self.num_classes, name='norm1')(h, y))
    h = conv(self.channels, 3, 'conv1')(h)
    return h + conv(self.channels, 1, 'shortcut')(_up(x))


class _DBlock(nn.Module):
  channels: int
  downsample: bool
  first: bool                    # SNGAN's "optimized" block: no ReLU on the raw input
  spectral_norm: bool
  dtype: jnp.dtype

  @nn.compact
  def __call__(self, x, update_stats):
    def conv(c, k, name, v):
      layer = nn.Conv(c, (k, k), padding='SAME', dtype=self.dtype, name=name)
      return apply_layer(layer, v, self.spectral_norm, update_stats)

    h = x if self.first else nn.relu(x)
    h = conv(self.channels, 3, 'conv1', nn.relu(conv(self.channels, 3, 'conv0', h)))
    if self.downsample:
      h = _down(h)
    if self.first:
      shortcut = conv(self.channels, 1, 'shortcut', _down(x) if self.downsample else x)
    elif self.downsample or x.shape[-1] != self.channels:
      shortcut = conv(self.channels, 1, 'shortcut', x)
      shortcut = _down(shortcut) if self.downsample else shortcut
    else:
      shortcut = x
    return h + shortcut


class ResNetGenerator(nn.Module):
  channels: Sequence[int]        # one up-sampling block per entry
  image_size: int
  out_channels: int
  num_classes: int = 0
  attention_res: int = 0
  output: str = 'tanh'
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, z, y=None):
    base = self.image_size // 2 ** len(self.channels)
    x = nn.Dense(base * base * self.channels[0], dtype=self.dtype, name='in')(z)
    x = x.reshape(z.shape[0], base, base, self.channels[0])
    attend = _Placed(self.attention_res, False, False, self.dtype)
    for i, c in enumerate(self.channels):
      x = attend(_GBlock(c, self.num_classes, self.dtype, name=f'block{i}')(x, y))
    x = nn.relu(ConditionalBatchNorm(name='norm_out')(x))
    x = nn.Conv(self.out_channels, (3, 3), padding='SAME', dtype=self.dtype, name='out')(x)
    return OUTPUTS[self.output](x.astype(jnp.float32))


class ResNetDiscriminator(nn.Module):
  channels: Sequence[int]        # one residual block per entry
  downsample: int = 2            # the first `downsample` blocks halve the resolution
  attention_res: int = 0
  heads: HeadSpec = HeadSpec()
  spectral_norm: bool = False
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, y=None, update_stats=False):
    h = x.astype(self.dtype)
    attend = _Placed(self.attention_res, self.spectral_norm, update_stats, self.dtype)
    for i, c in enumerate(self.channels):
      h = attend(_DBlock(c, i < self.downsample, i == 0, self.spectral_norm, self.dtype,
                         name=f'block{i}')(h, update_stats))
    h = jnp.sum(nn.relu(h), axis=(1, 2))
    return _Heads(self.heads, self.spectral_norm, self.dtype, name='heads')(h, y, update_stats)
