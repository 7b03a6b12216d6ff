"""The ELBO (Kingma & Welling, 2014) with a KL weight `beta` (beta-VAE, Higgins et al., 2017)
that can warm up linearly from 0 (Bowman et al., 2016), and free bits (Kingma et al., 2016):

  loss = mean_b[-log p(x_b|z_b)] + w(step) * KL,  KL = mean_b KL_b, or with free bits
  sum_j max(free_bits, mean_b KL_bj). One sample z per example; model.kl picks the KL
  estimator (analytic, or log q(z|x) - log p(z) at z).
"""
from gdm.objectives import elbo as elbo_lib
from gdm.objectives.elbo_variants.base import Context, Latents, Variant
from gdm.utils.schema import require, section

NAME = 'elbo'


@section
class ElboConfig:
  beta: float = 1.0           # KL weight (beta-VAE: > 1)
  warmup_steps: int = 0       # the KL weight ramps linearly from 0 to beta; 0 = off
  free_bits: float = 0.0      # nats per latent dim the batch-mean KL is floored at; 0 = off

  def __post_init__(self):
    for key in ('beta', 'warmup_steps', 'free_bits'):
      require(getattr(self, key) >= 0, key, getattr(self, key), 'must be >= 0')


def check(cfg: ElboConfig, ctx: Context):
  if cfg.free_bits and ctx.kl == 'mc':
    raise ValueError(f"model.{NAME}.free_bits acts on the analytic per-dimension KL: use "
                     "model.kl='analytic'")


def loss(cfg: ElboConfig, ctx: Context, q: Latents):
  terms = elbo_lib.elbo_terms(q.z, q.mean, q.log_var, q.log_likelihood, ctx.kl)
  weight = elbo_lib.kl_weight(q.step, cfg.beta, cfg.warmup_steps)
  kl_term = (elbo_lib.free_bits_kl(terms['kl_per_dim'], cfg.free_bits) if cfg.free_bits
             else terms['kl'].mean())
  total = terms['recon'].mean() + weight * kl_term
  metrics = {'elbo': terms['elbo'].mean(), 'kl': terms['kl'].mean(),
             'recon': terms['recon'].mean(), 'kl_weight': weight}
  return total, metrics


VARIANT = Variant(NAME, 'the ELBO', ElboConfig, loss, check=check)
