"""Inception-v3 as used for FID: pytorch-fid's `FIDInceptionV3`, in Flax Linen.

This is the 2015-12-05 TensorFlow Inception graph (the network behind the original FID and
Inception Score code) in the form pytorch-fid ports it: torchvision's Inception3 with
num_classes=1008, no aux classifier, and the FID patches (FIDInceptionA/C: average pools that
ignore padding; Mixed_7b: same; Mixed_7c: a max pool in the pool branch).

Layout. Inputs are NHWC images in [-1, 1], 299x299 for the reference statistics (the net is
fully convolutional, so other sizes >= 75 run but give features not comparable to FID
references). Torch weights are NCHW/OIHW: gdm/metrics/inception_weights.py transposes conv
kernels OIHW -> HWIO and the fc weight [out, in] -> [in, out]. Channel order is the same in
both layouts, so the 2048-d `pool` features match torch's element for element.

Naming. Submodules carry the torch attribute names, so every torch state_dict key maps to one
Flax leaf: `<path>.conv.weight` -> params/<path>/conv/kernel, `<path>.bn.weight|bias` ->
params/<path>/bn/scale|bias, `<path>.bn.running_mean|running_var` ->
batch_stats/<path>/bn/mean|var, `fc.weight|bias` -> params/fc/kernel|bias.

Precision. Convs and the fc run at Precision.HIGHEST by default so that accelerators do true
float32 (no TF32/bf16 passes); FID is sensitive to small feature errors.
"""
from typing import Any, NamedTuple

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.nn.inception_blocks import (BasicConv2d, FIDInceptionA, FIDInceptionC, FIDInceptionE,
                                     InceptionB, InceptionD, max_pool_3x3_s2)

FID_IMAGE_SIZE = 299
POOL_DIM = 2048
NUM_CLASSES = 1008


class InceptionOutputs(NamedTuple):
  pool: jnp.ndarray     # [N, 2048] global-average-pooled Mixed_7c (pytorch-fid block 3, pool3)
  logits: jnp.ndarray   # [N, 1008] fc(pool): the TF graph's logits (used by Inception Score)


class FIDInceptionV3(nn.Module):
  """[N, H, W, 3] in [-1, 1] -> InceptionOutputs(pool [N, 2048], logits [N, 1008])."""
  num_classes: int = NUM_CLASSES
  precision: Any = jax.lax.Precision.HIGHEST

  @nn.compact
  def __call__(self, x):
    if x.ndim != 4 or x.shape[-1] != 3:
      raise ValueError(f'expected NHWC images [N, H, W, 3], got shape {x.shape}')
    p = {'precision': self.precision}
    # Stem; spatial sizes given for a 299x299 input.
    x = BasicConv2d(32, 3, stride=2, name='Conv2d_1a_3x3', **p)(x)       # 149
    x = BasicConv2d(32, 3, name='Conv2d_2a_3x3', **p)(x)                 # 147
    x = BasicConv2d(64, 3, padding=1, name='Conv2d_2b_3x3', **p)(x)      # 147
    x = max_pool_3x3_s2(x)                                               # 73
    x = BasicConv2d(80, 1, name='Conv2d_3b_1x1', **p)(x)                 # 73
    x = BasicConv2d(192, 3, name='Conv2d_4a_3x3', **p)(x)                # 71
    x = max_pool_3x3_s2(x)                                               # 35
    x = FIDInceptionA(pool_features=32, name='Mixed_5b', **p)(x)         # 35, 256
    x = FIDInceptionA(pool_features=64, name='Mixed_5c', **p)(x)         # 35, 288
    x = FIDInceptionA(pool_features=64, name='Mixed_5d', **p)(x)         # 35, 288
    x = InceptionB(name='Mixed_6a', **p)(x)                              # 17, 768
    x = FIDInceptionC(channels_7x7=128, name='Mixed_6b', **p)(x)         # 17, 768
    x = FIDInceptionC(channels_7x7=160, name='Mixed_6c', **p)(x)
    x = FIDInceptionC(channels_7x7=160, name='Mixed_6d', **p)(x)
    x = FIDInceptionC(channels_7x7=192, name='Mixed_6e', **p)(x)         # 17, 768
    x = InceptionD(name='Mixed_7a', **p)(x)                              # 8, 1280
    x = FIDInceptionE(pool='avg', name='Mixed_7b', **p)(x)               # 8, 2048
    x = FIDInceptionE(pool='max', name='Mixed_7c', **p)(x)               # 8, 2048
    pool = jnp.mean(x, axis=(1, 2))          # AdaptiveAvgPool2d((1, 1)) + flatten
    # Dropout precedes fc in torch but is the identity at inference.
    logits = nn.Dense(self.num_classes, precision=self.precision, name='fc')(pool)
    return InceptionOutputs(pool=pool, logits=logits)
