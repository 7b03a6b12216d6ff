"""DDPM (Ho et al., 2020): a discrete schedule of T steps, the network's time input the
t index. Losses: L_simple (DSM in the network's parameterization), hybrid (L_simple plus the
bound, which trains only the learned variance: Nichol & Dhariwal, 2021) or the bound alone
(vlb), with optional importance sampling of t. Samplers ancestral | ddim; nll: the full
variational bound (every t); modes: inpaint (replacement or RePaint) and denoise (SDEdit).
"""
import dataclasses
import functools
import math
from typing import ClassVar

import jax
import jax.numpy as jnp

from gdm.diffusion import bound, schedules
from gdm.diffusion.processes.common import ProcessData, denoised_at
from gdm.diffusion.samplers.discrete import ddpm_ancestral
from gdm.objectives import importance_sampling as imp
from gdm.objectives import score_matching as sm
from gdm.objectives.decoder_likelihoods import GAUSSIAN_BINS
from gdm.utils.schema import choice, require, section

LOSSES = ('simple', 'hybrid', 'vlb')
SAMPLERS = ('ancestral', 'ddim')


@section
class DDPMSettings:
  schedule: str = 'linear'      # linear | cosine
  num_timesteps: int = 1000
  beta_start: float = 1e-4      # linear betas (scaled by 1000 / T)
  beta_end: float = 0.02
  loss: str = 'simple'          # simple (L_simple) | hybrid (+ bound, iDDPM) | vlb
  variance: str = 'fixed_large'  # fixed_large | fixed_small | learned_range
  importance_sampling: bool = False   # t ~ p(t) for the bound (hybrid / vlb)
  # L_0 on 8-bit images: exact (log space) | paper (improved-diffusion's tanh CDF with
  # probabilities floored at 1e-12, for comparing with published bits/dim)
  decoder: str = 'exact'

  def __post_init__(self):
    choice(self.schedule, schedules.SCHEDULES, 'schedule', 'beta schedule')
    require(self.num_timesteps >= 1, 'num_timesteps', self.num_timesteps, 'must be >= 1')
    if self.schedule == 'linear':
      require(0 < self.beta_start <= self.beta_end < 1, 'beta_start', self.beta_start,
              f'and beta_end={self.beta_end}: need 0 < beta_start <= beta_end < 1')
    choice(self.loss, LOSSES, 'loss', 'DDPM loss')
    choice(self.variance, schedules.VARIANCES, 'variance', 'reverse variance')
    require(not (self.variance == 'learned_range' and self.loss == 'simple'), 'variance',
            self.variance, "is trained only by the bound: use model.ddpm.loss='hybrid' or 'vlb'")
    require(not (self.importance_sampling and self.loss == 'simple'), 'importance_sampling',
            True, "samples t for the bound: use model.ddpm.loss='hybrid' or 'vlb'")
    choice(self.decoder, GAUSSIAN_BINS, 'decoder', 'discretized decoder convention')


@dataclasses.dataclass(frozen=True)
class DDPM:
  s: DDPMSettings
  data: ProcessData
  schedule: schedules.Schedule
  modes: ClassVar[tuple[str, ...]] = ('inpaint', 'denoise')

  @classmethod
  def build(cls, settings: DDPMSettings, data: ProcessData) -> 'DDPM':
    if settings.decoder != 'exact' and not data.discrete:
      raise ValueError(f'model.ddpm.decoder={settings.decoder!r} is a convention of the '
                       'discretized decoder of 8-bit images in [-1, 1]; on this data L_0 is a '
                       "Gaussian density (leave model.ddpm.decoder='exact')")
    return cls(settings, data, schedules.make_schedule(
        settings.schedule, settings.num_timesteps, settings.beta_start, settings.beta_end))

  @property
  def clip(self):
    return self.data.clip

  @property
  def likelihood(self) -> str:
    return 'discrete' if self.data.discrete else 'density'

  @property
  def learned_variance(self) -> bool:
    return self.s.variance == 'learned_range'

  def output_channels(self, channels: int) -> int:
    return channels * (2 if self.learned_variance else 1)

  def init_state(self) -> dict:
    if not self.s.importance_sampling:
      return {}
    return {'importance': imp.init_state(self.s.num_timesteps)}

  def split(self, out):
    """Network output -> (the mean's output, the variance interpolation v or None)."""
    c = self.data.channels
    return (out[..., :c], out[..., c:]) if self.learned_variance else (out, None)

  def terms(self, net_fn, x0, t, noise):
    """Per-example (L_simple, L_t / D) at timesteps t."""
    s, param = self.schedule, self.data.parameterization
    a, sigma = schedules.marginal(s, t, x0)
    xt = a * x0 + sigma * noise
    mean_out, v = self.split(net_fn(xt, t.astype(jnp.float32)))
    simple = sm.dsm_loss(mean_out, x0, noise, a, sigma, param)
    if self.s.loss == 'simple':
      return simple, jnp.zeros_like(simple)
    _, x0_hat = sm.predictions(mean_out, xt, a, sigma, param)
    if self.s.loss == 'hybrid':   # the bound trains only the variance (Nichol & Dhariwal)
      x0_hat = jax.lax.stop_gradient(x0_hat)
    log_var = schedules.reverse_log_variance(s, t, xt, self.s.variance, v)
    term = bound.timestep_term(s, x0, xt, t, bound.reverse_mean(s, x0_hat, xt, t), log_var,
                               self.data.discrete, self.s.decoder)
    return simple, term / math.prod(self.data.shape)

  def loss(self, net_fn, x0, noise, key, state, train: bool):
    """net_fn(x_t, time input) -> network output. (per-example loss, metrics, state)."""
    b, T = x0.shape[0], self.s.num_timesteps
    importance = self.s.importance_sampling and train
    if importance:
      t, weight = imp.sample(key, state['importance'], b)
    else:
      t, weight = jax.random.randint(key, (b,), 0, T), jnp.ones((b,))
    simple, term = self.terms(net_fn, x0, t, noise)
    if self.s.loss == 'simple':
      loss = simple
    elif self.s.loss == 'hybrid':   # iDDPM: L_simple + L_t T / 1000 in bits/dim (lambda 0.001)
      loss = simple + term * T / (1000.0 * math.log(2.0))
    else:
      loss = term * T
    if importance:
      state = {'importance': imp.update(state['importance'], t, term * T)}
    return weight * loss, {'l_simple': simple}, state

  def prior_sample(self, key, shape):
    return jax.random.normal(key, shape)

  def eps_and_log_var(self, out_fn, x, t):
    mean_out, v = self.split(out_fn(x, t.astype(jnp.float32)))
    a, sigma = schedules.marginal(self.schedule, t, x)
    eps, _ = sm.predictions(mean_out, x, a, sigma, self.data.parameterization)
    return eps, schedules.reverse_log_variance(self.schedule, t, x, self.s.variance, v)

  def model_fn(self, out_fn):
    """The samplers' eps_fn(x, t) -> (eps_hat, log_var)."""
    return functools.partial(self.eps_and_log_var, out_fn)

  def reverse(self, out_fn, xt, t):
    """(mean, log variance) of p(x_{t-1} | x_t)."""
    s = self.schedule
    mean_out, v = self.split(out_fn(xt, t.astype(jnp.float32)))
    a, sigma = schedules.marginal(s, t, xt)
    _, x0_hat = sm.predictions(mean_out, xt, a, sigma, self.data.parameterization)
    return (bound.reverse_mean(s, x0_hat, xt, t),
            schedules.reverse_log_variance(s, t, xt, self.s.variance, v))

  def nll(self, key, out_fn, x0):
    """The full variational bound per example, in nats."""
    return bound.full_bound(key, self.schedule, x0, functools.partial(self.reverse, out_fn),
                            self.data.discrete, self.s.decoder)

  def mean_output(self, net_fn, xt, tin):
    return self.split(net_fn(xt, tin))[0]

  def denoised(self, net_fn, x0, frac, noise):
    """Pictures: (x_t / a, x0_hat) at t = frac T, frac in [0, 1) per example."""
    t = jnp.floor(frac * self.s.num_timesteps).astype(jnp.int32)
    a, sigma = schedules.marginal(self.schedule, t, x0)
    return denoised_at(functools.partial(self.mean_output, net_fn), x0, noise,
                       t.astype(jnp.float32), a, sigma, self.data.parameterization)

  def project(self, x0, mask, x, t_prev, key):
    """Inpainting: the known region replaced by a draw of q(x_{t-1} | x_0) (x_0 at the end)."""
    noise = jax.random.normal(key, x.shape)
    tb = jnp.full((x.shape[0],), jnp.maximum(t_prev, 0))
    known = jnp.where(t_prev >= 0, schedules.q_sample(self.schedule, x0, tb, noise), x0)
    return mask * known + (1 - mask) * x

  def inpaint(self, key, out_fn, x0, mask, resample: int):
    """Fills in where mask is 0; resample > 1: RePaint's repeats of every step."""
    k_init, k_run = jax.random.split(key)
    x = jax.random.normal(k_init, x0.shape)
    return ddpm_ancestral(k_run, self.model_fn(out_fn), self.schedule, x, self.clip,
                          project=functools.partial(self.project, x0, mask), resample=resample)

  def denoise(self, key, out_fn, noisy, sigma: float):
    """noisy = x_0 + sigma eps is x_t / sqrt(alpha_bar_t) at the t whose noise matches: the
    reverse chain starts there."""
    start = schedules.noise_level_index(self.schedule, sigma)
    ab = self.schedule.alpha_bar[start]
    return ddpm_ancestral(key, self.model_fn(out_fn), self.schedule, jnp.sqrt(ab) * noisy,
                          self.clip, start=start)
