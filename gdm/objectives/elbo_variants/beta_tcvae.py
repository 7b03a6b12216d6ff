"""beta-TCVAE (Chen, Li, Grosse & Duvenaud, 2018, "Isolating Sources of Disentanglement in
Variational Autoencoders", NeurIPS; code: github.com/rtqichen/beta-tcvae). Averaged over the
data n ~ p(n), uniform over the N training examples, the ELBO's KL term splits into

  E_p(n) KL(q(z|n) || p(z)) = I_q(z; n) + KL(q(z) || prod_d q(z_d)) + sum_d KL(q(z_d) || p(z_d))
                              index-code MI   total correlation (TC)     dimension-wise KL

and the loss weights them alpha, beta, gamma (the paper: alpha = gamma = 1, beta > 1):

  loss = mean_i [-log p(x_i|z_i) + alpha MI_i + beta TC_i + gamma DKL_i],  z_i ~ q(z|n_i),
  MI_i = log q(z_i|n_i) - log q(z_i),  TC_i = log q(z_i) - sum_d log q(z_id),
  DKL_i = sum_d log q(z_id) - log p(z_i).

The three telescope to log q(z_i|n_i) - log p(z_i), the sampled KL, whatever estimate of q(z)
is used: alpha = beta = gamma = 1 is exactly the ELBO with model.kl='mc'.

The aggregate posterior q(z) = (1/N) sum_n q(z|n) is estimated on the minibatch of B,
log q(z_i) ~= logsumexp_j [log w_ij + log q(z_i|n_j)], and each marginal q(z_id) the same way:
- mws, minibatch-weighted sampling (the paper's main estimator, and its code's default):
  w_ij = 1/(N B). A lower bound on log q(z_i) that carries -log N: the logged MI, TC and
  dimension-wise KL are offset by about +log N, +(D - 1) log N and -D log N (they still sum
  to the sampled KL, and the offsets are constants, so gradients do not see them).
- mss, minibatch stratified sampling (the paper's appendix): with M = B - 1, w_ii = 1/N,
  w_i,i+1 = (N - M)/(N M) (indices mod B) and 1/M elsewhere; each row sums to 1 and, for a
  batch drawn without replacement, the estimate of q(z_i) (not its log) is unbiased. The
  authors' code writes the 1/N and (N - M)/(N M) entries down columns 0 and 1 instead of
  along the diagonal (noted in rtqichen/beta-tcvae pull request 1); this follows the paper.
"""
import math

import jax
import jax.numpy as jnp
import numpy as np

from gdm.objectives import elbo as elbo_lib
from gdm.objectives.elbo_variants.base import Context, Latents, Variant
from gdm.utils.checks import check_choice
from gdm.utils.schema import choice, require, section

NAME = 'beta_tcvae'
SAMPLINGS = ('mws', 'mss')


@section
class BetaTCVAEConfig:
  alpha: float = 1.0          # index-code mutual information weight
  beta: float = 1.0           # total correlation weight (the paper: 6 on dSprites)
  gamma: float = 1.0          # dimension-wise KL weight
  sampling: str = 'mws'       # estimator of q(z): mws (weighted) | mss (stratified)

  def __post_init__(self):
    for key in ('alpha', 'beta', 'gamma'):
      require(getattr(self, key) >= 0, key, getattr(self, key), 'must be >= 0')
    choice(self.sampling, SAMPLINGS, 'sampling', 'minibatch sampling estimator')


def check(cfg: BetaTCVAEConfig, ctx: Context):
  b, n = ctx.batch_size, ctx.dataset_size
  if b < 2:
    raise ValueError(f'train.batch_size={b}: model.objective={NAME!r} estimates q(z) on the '
                     'minibatch and needs >= 2 examples')
  if n < b:
    raise ValueError(f'model.objective={NAME!r} needs the training set size N >= '
                     f'train.batch_size={b}; the dataset reports N={n} (its num_examples)')


def log_batch_weights(batch_size: int, dataset_size: int, sampling: str) -> np.ndarray:
  """log w_ij [B, B]: the weight of q(z_i|n_j) in the estimate of q(z_i)."""
  check_choice(sampling, SAMPLINGS, 'minibatch sampling estimator')
  if not 2 <= batch_size <= dataset_size:
    raise ValueError(f'batch size {batch_size} must be in [2, dataset size {dataset_size}]')
  b, n = batch_size, dataset_size
  if sampling == 'mws':
    return np.full((b, b), -math.log(n * b))
  m = b - 1
  w = np.full((b, b), 1.0 / m)
  rows = np.arange(b)
  w[rows, (rows + 1) % b] = (n - m) / (n * m)
  w[rows, rows] = 1.0 / n
  with np.errstate(divide='ignore'):     # N = M: the stratum weight is 0
    return np.log(w)


def log_density_matrix(z, mean, log_var) -> jax.Array:
  """log q(z_id | n_j) for every pair of the minibatch, [B (i), B (j), D]."""
  z, mean, log_var = (a.astype(jnp.float32) for a in (z, mean, log_var))
  diff = z[:, None, :] - mean[None]
  return -0.5 * (elbo_lib.LOG_2PI + log_var[None] + diff * diff * jnp.exp(-log_var[None]))


def log_aggregate_posterior(z, mean, log_var, dataset_size: int, sampling: str):
  """(log q(z_i), sum_d log q(z_id)), each [B], estimated on the minibatch."""
  log_w = jnp.asarray(log_batch_weights(z.shape[0], dataset_size, sampling), jnp.float32)
  per_dim = log_density_matrix(z, mean, log_var)
  log_qz = jax.nn.logsumexp(log_w + per_dim.sum(-1), axis=1)
  log_prod_marginals = jax.nn.logsumexp(log_w[:, :, None] + per_dim, axis=1).sum(-1)
  return log_qz, log_prod_marginals


def kl_decomposition(z, mean, log_var, dataset_size: int, sampling: str = 'mws'):
  """{'mi', 'tc', 'dim_kl'}, each [B]: the per-sample terms whose sum is log q(z|n) - log p(z)."""
  log_qz, log_prod = log_aggregate_posterior(z, mean, log_var, dataset_size, sampling)
  log_q_given_n = elbo_lib.diag_gaussian_log_prob(z, mean, log_var)
  return {'mi': log_q_given_n - log_qz, 'tc': log_qz - log_prod,
          'dim_kl': log_prod - elbo_lib.standard_normal_log_prob(z)}


def loss(cfg: BetaTCVAEConfig, ctx: Context, q: Latents):
  terms = kl_decomposition(q.z, q.mean, q.log_var, ctx.dataset_size, cfg.sampling)
  log_px = q.log_likelihood(q.z).astype(jnp.float32)
  kl = terms['mi'] + terms['tc'] + terms['dim_kl']
  total = (-log_px + cfg.alpha * terms['mi'] + cfg.beta * terms['tc']
           + cfg.gamma * terms['dim_kl']).mean()
  metrics = {'elbo': (log_px - kl).mean(), 'kl': kl.mean(), 'recon': -log_px.mean(),
             **{name: value.mean() for name, value in terms.items()}}
  return total, metrics


VARIANT = Variant(NAME, 'beta-TCVAE', BetaTCVAEConfig, loss, check=check)
