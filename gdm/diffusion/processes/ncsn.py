"""NCSN (Song & Ermon, 2019): geometric noise levels sigma_1 > ... > sigma_L, no signal
scaling (a = 1), the network's time input the sigma index; the sigma^2-weighted multi-sigma
DSM loss; sampled by annealed Langevin dynamics. No likelihood, no extra modes.
"""
import dataclasses
import functools
from typing import ClassVar

import jax
import jax.numpy as jnp
import numpy as np

from gdm.diffusion.processes.common import ProcessData, denoised_at, score_at
from gdm.objectives import score_matching as sm
from gdm.utils.schema import require, section

SAMPLERS = ('langevin',)


@section
class NCSNSettings:
  sigma_min: float = 0.01
  sigma_max: float = 50.0
  num_sigmas: int = 10

  def __post_init__(self):
    require(0 < self.sigma_min < self.sigma_max, 'sigma_min', self.sigma_min,
            f'must be in (0, sigma_max={self.sigma_max})')
    require(self.num_sigmas >= 2, 'num_sigmas', self.num_sigmas, 'must be >= 2')


@dataclasses.dataclass(frozen=True)
class NCSN:
  s: NCSNSettings
  data: ProcessData
  sigmas: jax.Array             # [L], largest first
  modes: ClassVar[tuple[str, ...]] = ()
  likelihood: ClassVar[str | None] = None

  @classmethod
  def build(cls, settings: NCSNSettings, data: ProcessData) -> 'NCSN':
    sigmas = np.geomspace(settings.sigma_max, settings.sigma_min, settings.num_sigmas)
    return cls(settings, data, jnp.asarray(sigmas, jnp.float32))

  def output_channels(self, channels: int) -> int:
    return channels

  def init_state(self) -> dict:
    return {}

  def level(self, i):
    """(time input, a, sigma) of level indices i [B]."""
    shape = self.data.level_shape(i.shape[0])
    return i.astype(jnp.float32), jnp.ones(shape), self.sigmas[i].reshape(shape)

  def loss(self, net_fn, x0, noise, key, state, train: bool):
    del train
    tin, a, sigma = self.level(jax.random.randint(key, (x0.shape[0],), 0, self.s.num_sigmas))
    score = score_at(net_fn, a * x0 + sigma * noise, tin, a, sigma, self.data.parameterization)
    return sm.ncsn_loss(score, noise, sigma), {}, state

  def prior_sample(self, key, shape):
    return self.s.sigma_max * jax.random.normal(key, shape)

  def score(self, out_fn, x, i):
    sigma = self.sigmas[i].reshape(self.data.level_shape(-1))
    return score_at(out_fn, x, i.astype(jnp.float32), 1.0, sigma, self.data.parameterization)

  def model_fn(self, out_fn):
    """The Langevin sampler's score_fn(x, i)."""
    return functools.partial(self.score, out_fn)

  def denoised(self, net_fn, x0, frac, noise):
    """Pictures: (x_t, x0_hat) at the level frac of the way from the smallest sigma."""
    tin, a, sigma = self.level(jnp.floor((1 - frac) * self.s.num_sigmas).astype(jnp.int32))
    return denoised_at(net_fn, x0, noise, tin, a, sigma, self.data.parameterization)
