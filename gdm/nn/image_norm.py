"""Normalisation of image feature maps by name, as the image-to-image nets choose it.

  batch     batch statistics (gdm.nn.conditional_batchnorm with no classes), in training and
            at test time alike, as pix2pix runs it (Isola et al., 2017, Sec. 3.3: "we apply
            batch normalization using the statistics of the test batch"); with batch size 1
            this is instance normalisation
  instance  per-example, per-channel statistics over the image, no learned scale or shift
            (CycleGAN's, Zhu et al., 2017 after Ulyanov et al., 2016)
  none      identity
"""
import flax.linen as nn

from gdm.nn.conditional_batchnorm import ConditionalBatchNorm

NORMS = ('batch', 'instance', 'none')


def normalize(x, kind: str, name: str):
  """x normalised by `kind`; call from inside a compact method (the norm is a submodule)."""
  if kind == 'batch':
    return ConditionalBatchNorm(name=name)(x)
  if kind == 'instance':
    return nn.InstanceNorm(use_scale=False, use_bias=False, epsilon=1e-5, name=name)(x)
  if kind == 'none':
    return x
  raise ValueError(f'unknown norm {kind!r}; choose one of: {", ".join(NORMS)}')
