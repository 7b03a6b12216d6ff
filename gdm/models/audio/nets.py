"""The audio family's network (gdm.nn.wavenet.WaveNet) built from its section, and the
likelihood heads over the 256 mu-law levels.

Mu-law codes q sit at the levels 2q/255 - 1 in [-1, 1], the grid of 8-bit pixels scaled to
[-1, 1], so the autoregressive family's 8-bit heads score them unchanged: `HEADS` maps
`model.likelihood` to the head (its log_prob, exact sampler and number of outputs).
"""
import jax.numpy as jnp

from gdm.models.audio.config import AudioConfig
from gdm.models.autoregressive import heads
from gdm.nn.wavenet import WaveNet

NUM_CODES = 256


def categorical(num_mixtures: int) -> heads.Head:
  del num_mixtures
  return heads.EightBitCategorical()


def logistic_mixture(num_mixtures: int) -> heads.Head:
  return heads.LogisticMixture(1, num_mixtures)   # one channel: the per-sample mixture


HEADS = {'categorical': categorical, 'logistic_mixture': logistic_mixture}


def build(m: AudioConfig, num_params: int, num_classes: int, dtype=jnp.float32) -> WaveNet:
  w = m.wavenet
  width = NUM_CODES if w.input == 'one_hot' else 1
  return WaveNet(num_params=num_params, num_values=width, channels=w.channels,
                 skip_channels=w.skip_channels, head_channels=w.head_channels or w.skip_channels,
                 dilations=w.dilations, kernel_size=w.kernel_size,
                 input_kernel_size=w.input_kernel_size, conditioned=num_classes > 0,
                 dtype=dtype)
