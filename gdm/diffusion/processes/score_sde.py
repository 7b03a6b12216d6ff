"""Score SDEs (Song et al., 2021b): VP, sub-VP and VE (gdm.diffusion.sde), continuous t in
[eps, 1], the network's time input 999 t (a DDPM-like range). Continuous-time DSM weighted by
sigma(t)^2 or by the likelihood weighting g(t)^2; samplers euler_maruyama | pc | ode; nll: the
probability-flow ODE log-likelihood (Hutchinson or exact trace), a density.
"""
import dataclasses
import functools
import math
from typing import ClassVar

import jax
import jax.numpy as jnp

from gdm.diffusion.processes.common import ProcessData, denoised_at, score_at
from gdm.diffusion.samplers.continuous import TRACES, ode_log_likelihood
from gdm.diffusion.sde import SDE
from gdm.objectives import score_matching as sm
from gdm.utils.schema import choice, require, section

SAMPLERS = ('euler_maruyama', 'pc', 'ode')
WEIGHTINGS = ('variance', 'likelihood')
TIME_SCALE = 999.0      # continuous t -> the network's time input (DDPM-like range)
MAX_EXACT_TRACE_DIMS = 64


@section
class SDESettings:
  beta_min: float = 0.1         # vp / subvp
  beta_max: float = 20.0
  sigma_min: float = 0.01       # ve
  sigma_max: float = 50.0
  weighting: str = 'variance'   # variance (sigma(t)^2) | likelihood (g(t)^2)
  eval_ode_steps: int = 100     # RK4 steps of the ODE likelihood
  trace: str = 'hutchinson'     # hutchinson | exact (low dimensions)

  def __post_init__(self):
    require(0 < self.beta_min <= self.beta_max, 'beta_min', self.beta_min,
            f'must be in (0, beta_max={self.beta_max}]')
    require(0 < self.sigma_min < self.sigma_max, 'sigma_min', self.sigma_min,
            f'must be in (0, sigma_max={self.sigma_max})')
    choice(self.weighting, WEIGHTINGS, 'weighting', 'DSM weighting')
    require(self.eval_ode_steps >= 1, 'eval_ode_steps', self.eval_ode_steps, 'must be >= 1')
    choice(self.trace, TRACES, 'trace', 'trace estimator')


@dataclasses.dataclass(frozen=True)
class ScoreSDE:
  s: SDESettings
  data: ProcessData
  sde: SDE
  modes: ClassVar[tuple[str, ...]] = ()
  likelihood: ClassVar[str | None] = 'density'

  @classmethod
  def build(cls, kind: str, settings: SDESettings, data: ProcessData) -> 'ScoreSDE':
    dims = math.prod(data.shape)
    if settings.trace == 'exact' and dims > MAX_EXACT_TRACE_DIMS:
      raise ValueError(f"model.sde.trace='exact' takes one jvp per dimension; the data has "
                       f"{dims}: use model.sde.trace='hutchinson'")
    sde = SDE(kind, settings.beta_min, settings.beta_max, settings.sigma_min, settings.sigma_max)
    return cls(settings, data, sde)

  def output_channels(self, channels: int) -> int:
    return channels

  def init_state(self) -> dict:
    return {}

  def loss(self, net_fn, x0, noise, key, state, train: bool):
    del train
    b = x0.shape[0]
    t = jax.random.uniform(key, (b,), minval=self.sde.sampling_eps, maxval=1.0)
    a, sigma = self.sde.marginal(t, jnp.zeros(self.data.level_shape(b)))
    xt = a * x0 + sigma * noise
    score = score_at(net_fn, xt, TIME_SCALE * t, a, sigma, self.data.parameterization)
    weight = (sigma.reshape(b) ** 2 if self.s.weighting == 'variance'
              else self.sde.diffusion_sq(t))
    return sm.weighted_score_loss(score, noise, sigma, weight), {}, state

  def prior_sample(self, key, shape):
    return self.sde.prior_sample(key, shape)

  def score(self, out_fn, x, t):
    a, sigma = self.sde.marginal(t, x)
    return score_at(out_fn, x, TIME_SCALE * t, a, sigma, self.data.parameterization)

  def model_fn(self, out_fn):
    """The SDE samplers' score_fn(x, t)."""
    return functools.partial(self.score, out_fn)

  def nll(self, key, out_fn, x0):
    """-log p_eps(x_0) per example from the probability-flow ODE, in nats."""
    logp, _ = ode_log_likelihood(key, self.model_fn(out_fn), self.sde, x0, self.s.eval_ode_steps,
                                 self.sde.sampling_eps, self.s.trace)
    return -logp

  def denoised(self, net_fn, x0, frac, noise):
    """Pictures: (x_t / a, x0_hat) at t = frac."""
    a, sigma = self.sde.marginal(frac, x0)
    return denoised_at(net_fn, x0, noise, TIME_SCALE * frac, a, sigma,
                       self.data.parameterization)
