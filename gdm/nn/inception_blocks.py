"""Building blocks of the FID Inception-v3 (see gdm/nn/inception.py), NHWC.

Each block mirrors one torch module of torchvision's `inception.py` as patched by pytorch-fid,
and names its submodules exactly like the torch attributes, so a torch state_dict key such as
`Mixed_5b.branch5x5_2.conv.weight` is the Flax path `Mixed_5b/branch5x5_2/conv/kernel`.
Every convolution uses explicit symmetric padding as torch does (never 'SAME', which pads
asymmetrically for stride 2), and all ops are inference-only.

Branch outputs are concatenated on the channel axis in torch's order; since torch concatenates
NCHW on dim 1 and we concatenate NHWC on the last axis, channel c means the same in both.
"""
from collections.abc import Sequence
from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp


def _pair(v) -> tuple[int, int]:
  return (v, v) if isinstance(v, int) else tuple(v)


class BasicConv2d(nn.Module):
  """torchvision BasicConv2d: bias-free conv -> BatchNorm(eps=1e-3, running stats) -> ReLU."""
  features: int
  kernel_size: Any = 1            # int or (kh, kw), as in torch
  stride: int = 1
  padding: Any = 0                # int or (ph, pw): symmetric zero padding, as in torch
  precision: Any = jax.lax.Precision.HIGHEST

  @nn.compact
  def __call__(self, x):
    ph, pw = _pair(self.padding)
    x = nn.Conv(self.features, _pair(self.kernel_size), strides=_pair(self.stride),
                padding=((ph, ph), (pw, pw)), use_bias=False, precision=self.precision,
                name='conv')(x)
    x = nn.BatchNorm(use_running_average=True, epsilon=1e-3, name='bn')(x)
    return nn.relu(x)


def avg_pool_3x3_same(x):
  """F.avg_pool2d(k=3, s=1, p=1, count_include_pad=False): the TF graph averages only
  in-image pixels, which is the FID-specific patch of blocks A, C and E_1."""
  return nn.avg_pool(x, (3, 3), strides=(1, 1), padding=((1, 1), (1, 1)),
                     count_include_pad=False)


def max_pool_3x3_same(x):
  """F.max_pool2d(k=3, s=1, p=1): torch pads with -inf, as does flax's max_pool."""
  return nn.max_pool(x, (3, 3), strides=(1, 1), padding=((1, 1), (1, 1)))


def max_pool_3x3_s2(x):
  """F.max_pool2d(k=3, s=2) / nn.MaxPool2d(3, 2): no padding, floor output size."""
  return nn.max_pool(x, (3, 3), strides=(2, 2), padding='VALID')


def _concat(parts: Sequence[jnp.ndarray]):
  return jnp.concatenate(parts, axis=-1)


class FIDInceptionA(nn.Module):
  """Mixed_5b/5c/5d (35x35): 64 + 64 + 96 + pool_features channels."""
  pool_features: int
  precision: Any = jax.lax.Precision.HIGHEST

  @nn.compact
  def __call__(self, x):
    conv = lambda *a, **k: BasicConv2d(*a, precision=self.precision, **k)
    b1 = conv(64, 1, name='branch1x1')(x)
    b5 = conv(48, 1, name='branch5x5_1')(x)
    b5 = conv(64, 5, padding=2, name='branch5x5_2')(b5)
    b3 = conv(64, 1, name='branch3x3dbl_1')(x)
    b3 = conv(96, 3, padding=1, name='branch3x3dbl_2')(b3)
    b3 = conv(96, 3, padding=1, name='branch3x3dbl_3')(b3)
    bp = conv(self.pool_features, 1, name='branch_pool')(avg_pool_3x3_same(x))
    return _concat([b1, b5, b3, bp])


class InceptionB(nn.Module):
  """Mixed_6a (35 -> 17): 384 + 96 + in_channels; unpatched by pytorch-fid."""
  precision: Any = jax.lax.Precision.HIGHEST

  @nn.compact
  def __call__(self, x):
    conv = lambda *a, **k: BasicConv2d(*a, precision=self.precision, **k)
    b3 = conv(384, 3, stride=2, name='branch3x3')(x)
    bd = conv(64, 1, name='branch3x3dbl_1')(x)
    bd = conv(96, 3, padding=1, name='branch3x3dbl_2')(bd)
    bd = conv(96, 3, stride=2, name='branch3x3dbl_3')(bd)
    return _concat([b3, bd, max_pool_3x3_s2(x)])


class FIDInceptionC(nn.Module):
  """Mixed_6b..6e (17x17): factorised 7x7 convs, 4 x 192 channels."""
  channels_7x7: int
  precision: Any = jax.lax.Precision.HIGHEST

  @nn.compact
  def __call__(self, x):
    conv = lambda *a, **k: BasicConv2d(*a, precision=self.precision, **k)
    c7 = self.channels_7x7
    b1 = conv(192, 1, name='branch1x1')(x)
    b7 = conv(c7, 1, name='branch7x7_1')(x)
    b7 = conv(c7, (1, 7), padding=(0, 3), name='branch7x7_2')(b7)
    b7 = conv(192, (7, 1), padding=(3, 0), name='branch7x7_3')(b7)
    bd = conv(c7, 1, name='branch7x7dbl_1')(x)
    bd = conv(c7, (7, 1), padding=(3, 0), name='branch7x7dbl_2')(bd)
    bd = conv(c7, (1, 7), padding=(0, 3), name='branch7x7dbl_3')(bd)
    bd = conv(c7, (7, 1), padding=(3, 0), name='branch7x7dbl_4')(bd)
    bd = conv(192, (1, 7), padding=(0, 3), name='branch7x7dbl_5')(bd)
    bp = conv(192, 1, name='branch_pool')(avg_pool_3x3_same(x))
    return _concat([b1, b7, bd, bp])


class InceptionD(nn.Module):
  """Mixed_7a (17 -> 8): 320 + 192 + in_channels; unpatched by pytorch-fid."""
  precision: Any = jax.lax.Precision.HIGHEST

  @nn.compact
  def __call__(self, x):
    conv = lambda *a, **k: BasicConv2d(*a, precision=self.precision, **k)
    b3 = conv(192, 1, name='branch3x3_1')(x)
    b3 = conv(320, 3, stride=2, name='branch3x3_2')(b3)
    b7 = conv(192, 1, name='branch7x7x3_1')(x)
    b7 = conv(192, (1, 7), padding=(0, 3), name='branch7x7x3_2')(b7)
    b7 = conv(192, (7, 1), padding=(3, 0), name='branch7x7x3_3')(b7)
    b7 = conv(192, 3, stride=2, name='branch7x7x3_4')(b7)
    return _concat([b3, b7, max_pool_3x3_s2(x)])


class FIDInceptionE(nn.Module):
  """Mixed_7b (pool='avg', pytorch-fid's FIDInceptionE_1) and Mixed_7c (pool='max',
  FIDInceptionE_2: the TF graph max-pools here, unlike the paper): 2048 channels."""
  pool: str
  precision: Any = jax.lax.Precision.HIGHEST

  @nn.compact
  def __call__(self, x):
    if self.pool not in ('avg', 'max'):
      raise ValueError(f"pool must be 'avg' or 'max', got {self.pool!r}")
    conv = lambda *a, **k: BasicConv2d(*a, precision=self.precision, **k)
    b1 = conv(320, 1, name='branch1x1')(x)
    b3 = conv(384, 1, name='branch3x3_1')(x)
    b3 = _concat([conv(384, (1, 3), padding=(0, 1), name='branch3x3_2a')(b3),
                  conv(384, (3, 1), padding=(1, 0), name='branch3x3_2b')(b3)])
    bd = conv(448, 1, name='branch3x3dbl_1')(x)
    bd = conv(384, 3, padding=1, name='branch3x3dbl_2')(bd)
    bd = _concat([conv(384, (1, 3), padding=(0, 1), name='branch3x3dbl_3a')(bd),
                  conv(384, (3, 1), padding=(1, 0), name='branch3x3dbl_3b')(bd)])
    pooled = avg_pool_3x3_same(x) if self.pool == 'avg' else max_pool_3x3_same(x)
    bp = conv(192, 1, name='branch_pool')(pooled)
    return _concat([b1, b3, bd, bp])
