"""The importance-weighted bound (Burda et al., 2016) with k samples per example:

  loss = -mean_b log (1/k) sum_i p(x_b, z_bi) / q(z_bi|x_b),  z_bi ~ q(z|x_b).

It rises with k towards log p(x); k = 1 is the one-sample ELBO with the sampled KL. The
samples are the ones gdm.objectives.elbo.iwae_bound draws from the same key.
"""
import math

import jax

from gdm.objectives import elbo as elbo_lib
from gdm.objectives.elbo_variants.base import Context, Latents, Variant
from gdm.utils.schema import require, section

NAME = 'iwae'


@section
class IWAEConfig:
  k: int = 1                  # importance samples per training example

  def __post_init__(self):
    require(self.k >= 1, 'k', self.k, 'must be >= 1 (number of importance samples)')


def num_samples(cfg: IWAEConfig) -> int:
  return cfg.k


def loss(cfg: IWAEConfig, ctx: Context, q: Latents):
  log_w = elbo_lib.importance_log_weights(q.z, q.mean, q.log_var, q.log_likelihood)
  total = -(jax.nn.logsumexp(log_w, axis=0) - math.log(cfg.k)).mean()
  return total, {'iwae_bound': -total}


VARIANT = Variant(NAME, 'the IWAE bound', IWAEConfig, loss, num_samples=num_samples)
