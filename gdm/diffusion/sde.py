"""Continuous-time forward SDEs dx = f(x, t) dt + g(t) dw on t in [0, 1] (Song et al., 2021).

Every SDE here has a Gaussian transition kernel q(x_t | x_0) = N(a(t) x_0, sigma(t)^2 I), so
one interface serves training (marginal), sampling (drift/diffusion, prior) and likelihoods:

  marginal(t)          (a(t), sigma(t))
  sde(x, t)            (f(x, t), g(t))
  prior_sample(key, shape), prior_log_prob(z)   the distribution at t = 1
  discretize(x, t, dt) (f dt, g sqrt(dt)): the Euler-Maruyama step of the forward SDE

  vp     f = -beta(t) x / 2, g = sqrt(beta(t)), beta linear from beta_min to beta_max
         (the continuous limit of DDPM); prior N(0, I)
  subvp  the same drift, g^2 = beta(t) (1 - exp(-2 int_0^t beta)); sigma(t) = 1 - a(t)^2,
         below VP's at every t; prior N(0, I)
  ve     f = 0, sigma_ve(t) = sigma_min (sigma_max / sigma_min)^t,
         g = sigma_ve(t) sqrt(2 log(sigma_max / sigma_min)) (the continuous limit of NCSN);
         the exact kernel variance from x_0 at t = 0 is sigma_ve(t)^2 - sigma_min^2;
         prior N(0, sigma_max^2 I)
"""
import dataclasses
import math

import jax
import jax.numpy as jnp

from gdm.utils.checks import check_choice

SDES = ('vp', 'subvp', 've')


def _bcast(v, x):
  v = jnp.asarray(v, jnp.float32)
  return v.reshape(v.shape + (1,) * (x.ndim - v.ndim))


@dataclasses.dataclass(frozen=True)
class SDE:
  kind: str
  beta_min: float = 0.1
  beta_max: float = 20.0
  sigma_min: float = 0.01
  sigma_max: float = 50.0

  def __post_init__(self):
    check_choice(self.kind, SDES, 'SDE')
    if self.kind == 've':
      if not 0 < self.sigma_min < self.sigma_max:
        raise ValueError(f'VE SDE: sigma_min={self.sigma_min}, sigma_max={self.sigma_max}: '
                         'need 0 < sigma_min < sigma_max')
    elif not 0 < self.beta_min <= self.beta_max:
      raise ValueError(f'{self.kind} SDE: beta_min={self.beta_min}, beta_max={self.beta_max}: '
                       'need 0 < beta_min <= beta_max')

  @property
  def sampling_eps(self) -> float:
    """The smallest t samplers and likelihoods integrate to (Song et al.'s choices)."""
    return 1e-5 if self.kind == 've' else 1e-3

  @property
  def prior_std(self) -> float:
    return self.sigma_max if self.kind == 've' else 1.0

  def _log_a(self, t):
    """log a(t) = -int_0^t beta / 2 for VP and sub-VP."""
    return -0.25 * t ** 2 * (self.beta_max - self.beta_min) - 0.5 * t * self.beta_min

  def _sigma_ve(self, t):
    return self.sigma_min * (self.sigma_max / self.sigma_min) ** t

  def marginal_1d(self, t: jax.Array) -> tuple[jax.Array, jax.Array]:
    t = jnp.asarray(t, jnp.float32)
    if self.kind == 've':
      return jnp.ones_like(t), jnp.sqrt(self._sigma_ve(t) ** 2 - self.sigma_min ** 2)
    log_a = self._log_a(t)
    if self.kind == 'vp':
      return jnp.exp(log_a), jnp.sqrt(-jnp.expm1(2 * log_a))
    return jnp.exp(log_a), -jnp.expm1(2 * log_a)

  def marginal(self, t: jax.Array, x: jax.Array) -> tuple[jax.Array, jax.Array]:
    """(a, sigma) broadcastable against x; t a scalar or [B]."""
    a, sigma = self.marginal_1d(t)
    return _bcast(a, x), _bcast(sigma, x)

  def diffusion_sq(self, t: jax.Array) -> jax.Array:
    t = jnp.asarray(t, jnp.float32)
    if self.kind == 've':
      return self._sigma_ve(t) ** 2 * 2 * math.log(self.sigma_max / self.sigma_min)
    beta = self.beta_min + t * (self.beta_max - self.beta_min)
    if self.kind == 'vp':
      return beta
    return beta * -jnp.expm1(4 * self._log_a(t))

  def sde(self, x: jax.Array, t: jax.Array) -> tuple[jax.Array, jax.Array]:
    """(drift f(x, t), diffusion g(t) broadcastable against x)."""
    g = _bcast(jnp.sqrt(self.diffusion_sq(t)), x)
    if self.kind == 've':
      return jnp.zeros_like(x), g
    beta = _bcast(self.beta_min + jnp.asarray(t, jnp.float32) * (self.beta_max - self.beta_min),
                  x)
    return -0.5 * beta * x, g

  def discretize(self, x: jax.Array, t: jax.Array, dt: float):
    f, g = self.sde(x, t)
    return f * dt, g * math.sqrt(dt)

  def prior_sample(self, key: jax.Array, shape) -> jax.Array:
    return self.prior_std * jax.random.normal(key, shape)

  def prior_log_prob(self, z: jax.Array) -> jax.Array:
    """log N(z; 0, prior_std^2 I) per example [B]."""
    d = math.prod(z.shape[1:])
    sq = jnp.sum(z.reshape(z.shape[0], -1).astype(jnp.float32) ** 2, 1)
    return (-0.5 * d * math.log(2 * math.pi * self.prior_std ** 2)
            - 0.5 * sq / self.prior_std ** 2)
