"""EDM (Karras et al., 2022, "Elucidating the Design Space of Diffusion-Based Generative
Models"): x = x_0 + sigma n, no signal scaling, and a preconditioned denoiser

  D(x; sigma) = c_skip x + c_out F(c_in x, c_noise)
  c_skip = sigma_d^2 / (sigma^2 + sigma_d^2)     c_out = sigma sigma_d / sqrt(sigma^2 + sigma_d^2)
  c_in = 1 / sqrt(sigma^2 + sigma_d^2)           c_noise = ln(sigma) / 4

(Table 1), F the network, c_noise its time input. Training draws ln(sigma) ~
N(P_mean, P_std^2) and weights ||D - x_0||^2 by lambda(sigma) = (sigma^2 + sigma_d^2) /
(sigma sigma_d)^2, so that the network's own target has unit variance at every sigma. Samples
come from the Heun sampler on the rho-spaced grid between sigma_min and sigma_max (the prior
is N(0, sigma_max^2 I)). No likelihood and no extra modes here.
"""
import dataclasses
import functools
from typing import ClassVar

import jax
import jax.numpy as jnp

from gdm.diffusion.processes.common import ProcessData
from gdm.diffusion.samplers.heun import karras_sigmas
from gdm.utils.schema import require, section

SAMPLERS = ('heun',)


@section
class EDMSettings:
  sigma_data: float = 0.5       # the data's std (0.5 for images in [-1, 1])
  p_mean: float = -1.2          # ln(sigma) ~ N(p_mean, p_std^2) in training
  p_std: float = 1.2
  sigma_min: float = 0.002      # the sampler's grid and prior
  sigma_max: float = 80.0
  rho: float = 7.0

  def __post_init__(self):
    require(self.sigma_data > 0, 'sigma_data', self.sigma_data, 'must be > 0')
    require(self.p_std > 0, 'p_std', self.p_std, 'must be > 0')
    require(0 < self.sigma_min < self.sigma_max, 'sigma_min', self.sigma_min,
            f'must be in (0, sigma_max={self.sigma_max})')
    require(self.rho > 0, 'rho', self.rho, 'must be > 0')


def preconditioning(sigma, sigma_data: float):
  """(c_skip, c_out, c_in, c_noise) at noise level sigma (any shape)."""
  sigma = jnp.asarray(sigma, jnp.float32)
  total = sigma ** 2 + sigma_data ** 2
  return (sigma_data ** 2 / total, sigma * sigma_data / jnp.sqrt(total), 1 / jnp.sqrt(total),
          jnp.log(sigma) / 4)


def loss_weight(sigma, sigma_data: float):
  """lambda(sigma) = (sigma^2 + sigma_d^2) / (sigma sigma_d)^2 = 1 / c_out^2."""
  sigma = jnp.asarray(sigma, jnp.float32)
  return (sigma ** 2 + sigma_data ** 2) / (sigma * sigma_data) ** 2


@dataclasses.dataclass(frozen=True)
class EDM:
  s: EDMSettings
  data: ProcessData
  modes: ClassVar[tuple[str, ...]] = ()
  likelihood: ClassVar[str | None] = None

  @classmethod
  def build(cls, settings: EDMSettings, data: ProcessData) -> 'EDM':
    if data.parameterization != 'eps':
      raise ValueError(f'model.parameterization={data.parameterization!r} has no meaning for '
                       "model.process='edm': its preconditioning (c_skip, c_out) fixes what the "
                       "network outputs; leave the default 'eps'")
    return cls(settings, data)

  def output_channels(self, channels: int) -> int:
    return channels

  def init_state(self) -> dict:
    return {}

  def denoise(self, net_fn, x, sigma):
    """D(x; sigma), sigma [B]: net_fn(c_in x, c_noise) -> F."""
    sigma = jnp.asarray(sigma, jnp.float32)
    c_skip, c_out, c_in, c_noise = preconditioning(
        sigma.reshape(self.data.level_shape(sigma.shape[0])), self.s.sigma_data)
    out = net_fn(c_in * x, c_noise.reshape(sigma.shape)).astype(jnp.float32)
    return c_skip * x + c_out * out

  def loss(self, net_fn, x0, noise, key, state, train: bool):
    del train
    b = x0.shape[0]
    sigma = jnp.exp(self.s.p_mean + self.s.p_std * jax.random.normal(key, (b,)))
    x = x0 + sigma.reshape(self.data.level_shape(b)) * noise
    err = (self.denoise(net_fn, x, sigma) - x0) ** 2
    return loss_weight(sigma, self.s.sigma_data) * err.reshape(b, -1).mean(1), {}, state

  def prior_sample(self, key, shape):
    return self.s.sigma_max * jax.random.normal(key, shape)

  def model_fn(self, out_fn):
    """The Heun sampler's denoiser(x, sigma)."""
    return functools.partial(self.denoise, out_fn)

  def sigma_steps(self, num_steps: int):
    return karras_sigmas(num_steps, self.s.sigma_min, self.s.sigma_max, self.s.rho)

  def denoised(self, net_fn, x0, frac, noise):
    """Pictures: (x, D(x; sigma)) at the grid's sigma a fraction frac of the way up."""
    lo, hi = self.s.sigma_min ** (1 / self.s.rho), self.s.sigma_max ** (1 / self.s.rho)
    sigma = (lo + frac * (hi - lo)) ** self.s.rho
    x = x0 + sigma.reshape(self.data.level_shape(x0.shape[0])) * noise
    return x, self.denoise(net_fn, x, sigma)
