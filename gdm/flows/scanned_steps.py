"""K equal Glow steps as one `nn.scan`: XLA compiles one step whatever K, so paper-size Glow
(K=32 steps a scale) compiles in seconds instead of minutes.

The K steps' parameters are stacked on a leading [K] axis under one module; step i's 1x1
convolution starts from a rotation fixed by its index (first_seed + i), computed on device, so
the steps differ as unrolled Glow's do. `remat` recomputes each step's activations in the
backward pass instead of storing them (memory for compute). On XLA:CPU the backward pass of a
convolution inside a loop is many times slower than unrolled (measured in
benchmarks/RESULTS.md), so the unrolled layout stays the default there.
"""
from typing import Sequence

import flax.linen as nn
import jax.numpy as jnp

from gdm.flows.bijector import Bijector
from gdm.flows.coupling import Coupling
from gdm.flows.glow import ActNorm, Invertible1x1Conv


class GlowStep(nn.Module):
  """One step (actnorm, invertible 1x1 convolution, affine coupling) as a scan body:
  carry (x, logdet) and the step's seed in, carry out."""
  lu: bool
  channels: int
  num_blocks: int
  hidden: Sequence[int]
  act: str
  inverse: bool = False

  @nn.compact
  def __call__(self, carry, seed):
    x, logdet = carry
    layers = [lambda h, inv: ActNorm(name='actnorm')(h, inverse=inv),
              lambda h, inv: Invertible1x1Conv(lu=self.lu, name='conv1x1')(h, inv, seed),
              lambda h, inv: Coupling(mask='channel', parity=0, scale='sigmoid',
                                      hidden=tuple(self.hidden), channels=self.channels,
                                      num_blocks=self.num_blocks, act=self.act,
                                      name='coupling')(h, inverse=inv)]
    for layer in (reversed(layers) if self.inverse else layers):
      x, ld = layer(x, self.inverse)
      logdet = logdet + ld
    return (x, logdet), None


class GlowSteps(Bijector):
  num_steps: int
  first_seed: int
  lu: bool = True
  channels: int = 64
  num_blocks: int = 0
  hidden: Sequence[int] = (64, 64)
  act: str = 'relu'
  remat: bool = False

  @nn.compact
  def __call__(self, x, inverse: bool = False):
    body = nn.remat(GlowStep) if self.remat else GlowStep
    steps = nn.scan(body, variable_axes={'params': 0}, split_rngs={'params': True},
                    in_axes=0, length=self.num_steps, reverse=inverse)
    seeds = self.first_seed + jnp.arange(self.num_steps)
    (y, logdet), _ = steps(self.lu, self.channels, self.num_blocks, tuple(self.hidden),
                           self.act, inverse, name='steps')(
                               (x, jnp.zeros(x.shape[:1], jnp.float32)), seeds)
    return y, logdet
