"""The variational bound of a discrete diffusion model (Ho et al., 2020, eq. 5), in nats:

  -log p(x_0) <= L_T + sum_{t >= 2} L_{t-1} + L_0
  L_T      = KL(q(x_T | x_0) || N(0, I))
  L_{t-1}  = KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t))       (two Gaussians)
  L_0      = -log p(x_0 | x_1)

The decoder p(x_0 | x_1) is the discretized Gaussian of Ho et al. (section 3.3) for 8-bit
images in [-1, 1]: the Gaussian mass of each pixel's bin [x - 1/255, x + 1/255], the outer
bins taking the tails, so the bound is on the probability of the 8-bit image (bits/dim with
gdm.metrics.bits_per_dim's 'discrete' kind). It is exact in log space by default; the
published convention (tanh CDF, probabilities floored at 1e-12) is `convention='paper'`.
For other data the decoder is the Gaussian density ('density' kind). Timestep indices are
0-based (index 0 is the paper's t = 1).
"""
import math

import jax
import jax.numpy as jnp

from gdm.diffusion import schedules
from gdm.objectives.decoder_likelihoods import discretized_gaussian_log_prob


def _sum_flat(x):
  return x.reshape(x.shape[0], -1).astype(jnp.float32).sum(axis=1)


def normal_kl(mean1, log_var1, mean2, log_var2) -> jax.Array:
  """KL(N(mean1, e^log_var1) || N(mean2, e^log_var2)) elementwise."""
  return 0.5 * (log_var2 - log_var1 + jnp.exp(log_var1 - log_var2)
                + (mean1 - mean2) ** 2 * jnp.exp(-log_var2) - 1.0)


def gaussian_log_prob(x, mean, log_var) -> jax.Array:
  return _sum_flat(-0.5 * (math.log(2 * math.pi) + log_var
                           + (x - mean) ** 2 * jnp.exp(-log_var)))


def prior_kl(s: schedules.Schedule, x0: jax.Array) -> jax.Array:
  """L_T per example."""
  t = jnp.full((x0.shape[0],), s.num_timesteps - 1)
  a, sigma = schedules.marginal(s, t, x0)
  return _sum_flat(normal_kl(a * x0, jnp.log(sigma ** 2), 0.0, 0.0))


def decoder_log_prob(x0, mean, log_var, discrete: bool, convention: str) -> jax.Array:
  """log p(x_0 | x_1) per example: the discretized Gaussian in `convention` (see
  decoder_likelihoods.GAUSSIAN_BINS) for 8-bit images, else the Gaussian density."""
  if discrete:
    return discretized_gaussian_log_prob(x0, mean, log_var, convention)
  return gaussian_log_prob(x0, mean, log_var)


def timestep_term(s: schedules.Schedule, x0, xt, t, model_mean, model_log_var,
                  discrete: bool, convention: str = 'exact') -> jax.Array:
  """L_{t-1} for t > 0 and L_0 for t = 0, per example (t [B] int)."""
  mean, _, log_var = schedules.posterior(s, x0, xt, t)
  kl = _sum_flat(normal_kl(mean, log_var, model_mean, model_log_var))
  nll = -decoder_log_prob(x0, model_mean, model_log_var, discrete, convention)
  return jnp.where(t == 0, nll, kl)


def reverse_mean(s: schedules.Schedule, x0_hat, xt, t) -> jax.Array:
  """The mean of p(x_{t-1} | x_t): the posterior mean with x_0 replaced by its prediction."""
  return schedules.posterior(s, x0_hat, xt, t)[0]


def full_bound(key: jax.Array, s: schedules.Schedule, x0: jax.Array, reverse_fn,
               discrete: bool, convention: str = 'exact') -> jax.Array:
  """The whole bound per example, every t in one lax.scan (one x_t draw per t).
  reverse_fn(x_t, t) -> (mean, log_var) of p(x_{t-1} | x_t)."""

  def body(total, t):
    noise = jax.random.normal(jax.random.fold_in(key, t), x0.shape)
    tb = jnp.full((x0.shape[0],), t)
    xt = schedules.q_sample(s, x0, tb, noise)
    mean, log_var = reverse_fn(xt, tb)
    return total + timestep_term(s, x0, xt, tb, mean, log_var, discrete, convention), None

  total, _ = jax.lax.scan(body, prior_kl(s, x0), jnp.arange(s.num_timesteps))
  return total
