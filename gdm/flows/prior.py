"""The base distribution of a flow: standard Gaussian (RealNVP, Glow, MAF, FFJORD) or
standard logistic (NICE), factorised over dimensions, with a temperature at sampling
(Kingma & Dhariwal, 2018: z ~ p(z) with its scale multiplied by T)."""
import math

import jax

from gdm.utils.checks import check_choice

PRIORS = ('gaussian', 'logistic')


def log_prob(z: jax.Array, prior: str) -> jax.Array:
  """log p(z) per example, z [B, ...]."""
  check_choice(prior, PRIORS, 'prior')
  if prior == 'gaussian':
    lp = -0.5 * (z ** 2 + math.log(2 * math.pi))
  else:
    lp = -(jax.nn.softplus(z) + jax.nn.softplus(-z))
  return lp.reshape(z.shape[0], -1).sum(-1)


def sample(key, shape, prior: str, temperature: float = 1.0) -> jax.Array:
  check_choice(prior, PRIORS, 'prior')
  if prior == 'gaussian':
    return temperature * jax.random.normal(key, shape)
  return temperature * jax.random.logistic(key, shape)
