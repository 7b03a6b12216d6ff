"""Evidence lower bounds for a diagonal-Gaussian encoder q(z|x) and a N(0, I) prior.

Every function returns one value per example (or per latent dimension where named), reduced
in float32. `log_likelihood(z) -> [B]` is the decoder's log p(x|z) for latents z [B, D]; the
bounds call it on reparameterized samples z = mean + exp(log_var / 2) * eps, so gradients
reach the encoder through the sample.

ELBO = E_q[log p(x|z)] - KL(q(z|x) || p(z)) <= log p(x); the IWAE bound (Burda et al., 2016)
log (1/k) sum_i p(x, z_i) / q(z_i|x), z_i ~ q, rises with k to log p(x).
"""
import math
from typing import Callable

import jax
import jax.numpy as jnp

LOG_2PI = math.log(2 * math.pi)
KL_ESTIMATORS = ('analytic', 'mc')
LogLikelihood = Callable[[jax.Array], jax.Array]


def check_num_samples(k: int, where: str = 'k'):
  if k < 1:
    raise ValueError(f'{where}={k} must be >= 1 (number of importance samples)')


def _f32(*arrays):
  return tuple(a.astype(jnp.float32) for a in arrays)


def gaussian_kl_per_dim(mean: jax.Array, log_var: jax.Array) -> jax.Array:
  """KL(N(mean, exp(log_var)) || N(0, 1)) per latent dimension, [B, D]."""
  mean, log_var = _f32(mean, log_var)
  return 0.5 * (jnp.exp(log_var) + mean * mean - 1.0 - log_var)


def gaussian_kl(mean: jax.Array, log_var: jax.Array) -> jax.Array:
  """Analytic KL to the standard normal prior, summed over latent dimensions, [B]."""
  return gaussian_kl_per_dim(mean, log_var).sum(-1)


def diag_gaussian_log_prob(z, mean, log_var) -> jax.Array:
  """log N(z; mean, diag(exp(log_var))) summed over the last axis."""
  z, mean, log_var = _f32(z, mean, log_var)
  return -0.5 * (LOG_2PI + log_var + (z - mean) ** 2 * jnp.exp(-log_var)).sum(-1)


def standard_normal_log_prob(z) -> jax.Array:
  z = z.astype(jnp.float32)
  return -0.5 * (LOG_2PI + z * z).sum(-1)


def reparameterize(key, mean, log_var, eps=None) -> jax.Array:
  """z = mean + std * eps with eps ~ N(0, I) (drawn from `key` unless given)."""
  mean, log_var = _f32(mean, log_var)
  if eps is None:
    eps = jax.random.normal(key, mean.shape, jnp.float32)
  return mean + jnp.exp(0.5 * log_var) * eps


def mc_kl(z, mean, log_var) -> jax.Array:
  """Single-sample KL estimate log q(z|x) - log p(z) at z ~ q, [B] (unbiased)."""
  return diag_gaussian_log_prob(z, mean, log_var) - standard_normal_log_prob(z)


def kl_weight(step, beta: float, warmup_steps: int) -> jax.Array:
  """beta, ramped linearly from 0 at step 0 to beta at `warmup_steps` (0 = no warm-up)."""
  if warmup_steps <= 0:
    return jnp.float32(beta)
  return beta * jnp.minimum(jnp.asarray(step, jnp.float32) / warmup_steps, 1.0)


def free_bits_kl(kl_per_dim: jax.Array, free_bits: float) -> jax.Array:
  """sum_j max(free_bits, mean over the batch of KL_j), a scalar (Kingma et al., 2016).

  Each latent dimension gets `free_bits` nats for free: below that floor its KL has no
  gradient, so the encoder is not pushed to collapse it onto the prior.
  """
  per_dim = kl_per_dim.astype(jnp.float32).mean(0)
  return jnp.maximum(per_dim, free_bits).sum() if free_bits > 0 else per_dim.sum()


def elbo_terms(z, mean, log_var, log_likelihood: LogLikelihood,
               kl_estimator: str = 'analytic') -> dict[str, jax.Array]:
  """The one-sample ELBO at a reparameterized sample z ~ q(z|x) [B, D]: {'elbo', 'recon'
  (= -log p(x|z)), 'kl'} each [B], and 'kl_per_dim' [B, D] (analytic; what free bits act on)."""
  log_px = log_likelihood(z).astype(jnp.float32)
  kl_dims = gaussian_kl_per_dim(mean, log_var)
  kl = kl_dims.sum(-1) if kl_estimator == 'analytic' else mc_kl(z, mean, log_var)
  return {'elbo': log_px - kl, 'recon': -log_px, 'kl': kl, 'kl_per_dim': kl_dims}


def elbo(key, mean, log_var, log_likelihood: LogLikelihood,
         kl_estimator: str = 'analytic') -> dict[str, jax.Array]:
  """elbo_terms at one sample drawn from `key`."""
  return elbo_terms(reparameterize(key, mean, log_var), mean, log_var, log_likelihood,
                    kl_estimator)


def sample_keys(key, indices) -> jax.Array:
  """The key of importance sample i: fold_in(key, i), one per entry of `indices`."""
  return jax.vmap(lambda i: jax.random.fold_in(key, i))(indices)


def draw_samples(keys, mean, log_var) -> jax.Array:
  """Reparameterized samples z_i ~ q(z|x), sample i drawn with keys[i], [len(keys), B, D]."""
  eps = jax.vmap(lambda k: jax.random.normal(k, mean.shape, jnp.float32))(keys)
  return jax.vmap(lambda e: reparameterize(None, mean, log_var, e))(eps)


def draw_latents(key, mean, log_var, num: int = 0) -> jax.Array:
  """num = 0: one sample [B, D] drawn from `key` (what `elbo` draws); num = k >= 1: k samples
  [k, B, D], sample i from fold_in(key, i) (what `iwae_bound` draws)."""
  if num == 0:
    return reparameterize(key, mean, log_var)
  return draw_samples(sample_keys(key, jnp.arange(num)), mean, log_var)


def importance_log_weights(z, mean, log_var, log_likelihood: LogLikelihood) -> jax.Array:
  """log p(x, z_i) - log q(z_i|x) for samples z [k, B, D], [k, B]."""
  log_px = jax.vmap(log_likelihood)(z).astype(jnp.float32)
  return (log_px + standard_normal_log_prob(z)
          - jax.vmap(lambda zi: diag_gaussian_log_prob(zi, mean, log_var))(z))


def log_weights(keys, mean, log_var, log_likelihood: LogLikelihood) -> jax.Array:
  """log p(x, z_i) - log q(z_i|x) for z_i drawn with keys[i], [len(keys), B]."""
  return importance_log_weights(draw_samples(keys, mean, log_var), mean, log_var,
                                log_likelihood)


def iwae_bound(key, mean, log_var, log_likelihood: LogLikelihood, k: int,
               chunk: int = 0) -> jax.Array:
  """log (1/k) sum_{i<k} w_i per example, [B], with sample i drawn from fold_in(key, i).

  Samples are processed `chunk` at a time (0 = all at once) with a running logsumexp under
  lax.scan, so memory grows with `chunk`, not k (k=5000 on MNIST fits); the result does not
  depend on `chunk` beyond float rounding.
  """
  check_num_samples(k)
  chunk = k if chunk <= 0 else min(chunk, k)
  num_chunks = -(-k // chunk)

  def body(acc, c):
    idx = c * chunk + jnp.arange(chunk)
    keys = sample_keys(key, idx)
    lw = log_weights(keys, mean, log_var, log_likelihood)
    lw = jnp.where((idx < k)[:, None], lw, -jnp.inf)    # the last chunk may overhang k
    return jnp.logaddexp(acc, jax.nn.logsumexp(lw, axis=0)), None

  init = jnp.full(mean.shape[:1], -jnp.inf, jnp.float32)
  if num_chunks == 1:
    total, _ = body(init, 0)
  else:
    total, _ = jax.lax.scan(body, init, jnp.arange(num_chunks))
  return total - math.log(k)


def iwae_loss(key, mean, log_var, log_likelihood: LogLikelihood, k: int) -> jax.Array:
  """The IWAE training objective, -bound with k samples, per example [B] (k=1: -ELBO with
  the single-sample KL estimate)."""
  return -iwae_bound(key, mean, log_var, log_likelihood, k)
