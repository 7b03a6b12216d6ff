"""The EBM's MCMC on an energy, by name (`SGLDConfig.kind`, the EBM's model.sgld.kind):

  langevin   x <- x - eps grad E(x) + sqrt(2 eps) N(0, I): unadjusted Langevin, whose chain
             targets exp(-E) up to an O(eps) discretisation bias (the default)
  mala       the same step as a proposal with a Metropolis-Hastings correction: exp(-E)
             exactly (gdm.sampling.mala)
  decoupled  x <- x - eps grad E(x) + noise_scale N(0, I) with the two set apart, as IGEBM
             (Du & Mordatch, 2019: step 10, noise 0.005 on images). For a small enough step
             it samples exp(-E / T) with T = noise_scale^2 / (2 eps): a sharpened density
             when the noise is below sqrt(2 eps), which CD training then compensates for by
             learning a flatter energy; samples are good, exp(-E) itself is not the data's.

`SGLDConfig` is the checked config section of these settings; `run` takes it with plain
values for the rest.
"""
import math
from typing import Callable, ClassVar

import jax

from gdm.sampling.langevin import sgld
from gdm.sampling.mala import mala
from gdm.utils.schema import choice, require, section


@section
class SGLDConfig:
  """Settings of one family of chains (the EBM's `model.sgld`); the checks name the field,
  the schema adds where the section sits."""
  NOISE_DEFAULT: ClassVar[float] = 0.1

  @staticmethod
  def migrate_old(values: dict) -> dict:
    """Runs written before `kind` existed sampled with the noise set apart from the step."""
    values.setdefault('kind', 'decoupled')
    return values
  kind: str = 'langevin'        # langevin | mala | decoupled (see gdm.sampling.chains)
  steps: int = 20               # steps per chain
  step_size: float = 0.01       # eps: x <- x - eps * grad E + noise
  noise_scale: float = NOISE_DEFAULT   # decoupled only: the noise's std per step
  grad_clip: float = 0.0        # max L2 norm of each example's energy gradient; 0 = off
                                # (langevin: a clipped drift no longer targets exp(-E))
  unroll: int = 1               # unroll of the loop; on XLA:CPU conv energies ran ~5x
                                # faster fully unrolled (= steps), compiling longer

  def __post_init__(self):
    require(self.step_size > 0, 'step_size', self.step_size, 'must be > 0')
    require(self.noise_scale > 0, 'noise_scale', self.noise_scale, 'must be > 0')
    require(self.steps >= 1, 'steps', self.steps, 'must be >= 1')
    require(self.grad_clip >= 0, 'grad_clip', self.grad_clip, 'must be >= 0 (0 = no clipping)')
    require(self.unroll >= 1, 'unroll', self.unroll, 'must be >= 1')
    choice(self.kind, CHAINS, 'kind', 'chain kind')
    require(self.kind == 'decoupled' or self.noise_scale == self.NOISE_DEFAULT, 'noise_scale',
            self.noise_scale, f"is set, but kind={self.kind!r} draws its noise with std "
            "sqrt(2 * step_size); the noise is set apart from the step only with "
            "kind='decoupled'")


def langevin_chain(s: SGLDConfig, energy, x0, key, num_steps, bounds, update):
  return sgld(energy, x0, key, step_size=s.step_size, noise_scale=math.sqrt(2 * s.step_size),
              num_steps=num_steps, grad_clip=s.grad_clip, bounds=bounds, update=update,
              unroll=s.unroll)


def decoupled_chain(s: SGLDConfig, energy, x0, key, num_steps, bounds, update):
  return sgld(energy, x0, key, step_size=s.step_size, noise_scale=s.noise_scale,
              num_steps=num_steps, grad_clip=s.grad_clip, bounds=bounds, update=update,
              unroll=s.unroll)


def mala_chain(s: SGLDConfig, energy, x0, key, num_steps, bounds, update):
  return mala(energy, x0, key, step_size=s.step_size, num_steps=num_steps,
              grad_clip=s.grad_clip, bounds=bounds, update=update, unroll=s.unroll)[0]


CHAINS = {'langevin': langevin_chain, 'mala': mala_chain, 'decoupled': decoupled_chain}


def run(s: SGLDConfig, energy: Callable[[jax.Array], jax.Array], x0: jax.Array,
        key: jax.Array, num_steps: int, bounds: tuple[float, float] | None = None,
        update: jax.Array | None = None) -> jax.Array:
  """`num_steps` steps of the chain `s.kind` from x0 [B, ...] on energy(x) -> [B]. bounds:
  the box the chains stay in; update: mask of the entries that move."""
  return CHAINS[s.kind](s, energy, x0, key, num_steps, bounds, update)
