"""beta-TCVAE's estimators against known answers: brute-force minibatch estimates of log q(z),
exact expectations over every minibatch of a tiny dataset, TC of a factorised posterior, and
the decomposition MI + TC + dim-KL = the sampled KL (an identity) = the KL (in expectation)."""
import itertools
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from gdm.objectives import elbo as E
from gdm.objectives.elbo_variants import Context, Latents, beta_tcvae as T
from gdm.objectives.elbo_variants import elbo as elbo_variant

KEY = jax.random.key(0, impl='rbg')   # fast to compile on CPU; the estimators are key-agnostic


def posteriors(n, d, seed=0):
  rng = np.random.default_rng(seed)
  return (rng.normal(size=(n, d)).astype(np.float32),
          rng.normal(-1.0, 0.5, size=(n, d)).astype(np.float32))


def paper_weight(i, j, b, n, sampling):
  """w_ij as Chen et al. (2018) write it (mss: M = B - 1, the stratum weight one place on)."""
  if sampling == 'mws':
    return 1 / (n * b)
  m = b - 1
  return 1 / n if i == j else (n - m) / (n * m) if j == (i + 1) % b else 1 / m


def brute_force(z, mean, log_var, n, sampling):
  """(log q(z_i), sum_d log q(z_id)) with explicit loops over the minibatch (float64)."""
  b, d = z.shape
  sd = np.exp(0.5 * log_var.astype(np.float64))
  pdf = lambda i, j, dims: np.prod(stats.norm.pdf(z[i, dims], mean[j, dims], sd[j, dims]))
  joint, marginals = np.zeros(b), np.zeros(b)
  for i in range(b):
    w = [paper_weight(i, j, b, n, sampling) for j in range(b)]
    joint[i] = np.log(sum(w[j] * pdf(i, j, slice(None)) for j in range(b)))
    marginals[i] = sum(np.log(sum(w[j] * pdf(i, j, [k]) for j in range(b))) for k in range(d))
  return joint, marginals


@pytest.mark.parametrize('sampling', ['mws', 'mss'])
@pytest.mark.parametrize('b', [2, 3, 5])
def test_minibatch_estimates_match_brute_force(sampling, b):
  mean, log_var = posteriors(b, 3, seed=b)
  z = mean + np.exp(0.5 * log_var) * np.random.default_rng(9).normal(size=mean.shape)
  z = z.astype(np.float32)
  got = T.log_aggregate_posterior(jnp.asarray(z), jnp.asarray(mean), jnp.asarray(log_var), 7,
                                  sampling)
  for g, want in zip(got, brute_force(z, mean, log_var, 7, sampling)):
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-5)


def test_mss_weights_sum_to_one_per_row():
  for b, n in ((2, 2), (3, 5), (8, 100)):
    w = np.exp(T.log_batch_weights(b, n, 'mss'))
    np.testing.assert_allclose(w.sum(1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.diag(w), 1 / n)


def exact_q(z, mean, log_var, dims):
  """The aggregate posterior (1/N) sum_n q(z|n) over the whole tiny dataset, on `dims`."""
  sd = np.exp(0.5 * log_var.astype(np.float64))
  return np.mean([np.prod(stats.norm.pdf(z[dims], m[dims], s[dims]))
                  for m, s in zip(mean, sd)])


def estimate_q(z, batch, mean, log_var, n, sampling, dims):
  """exp of the estimate of q at z for every row of the minibatch `batch` (indices)."""
  zs = np.broadcast_to(z, (len(batch), z.size))[:, dims]
  log_qz, _ = T.log_aggregate_posterior(jnp.asarray(zs), jnp.asarray(mean[batch][:, dims]),
                                        jnp.asarray(log_var[batch][:, dims]), n, sampling)
  return np.exp(np.asarray(log_qz, np.float64))


@pytest.mark.parametrize('dims', [[0, 1], [0], [1]])   # q(z), and each marginal q(z_d)
def test_mss_estimate_of_q_is_unbiased_over_every_minibatch(dims):
  n, b = 5, 3
  mean, log_var = posteriors(n, 2, seed=1)
  z = np.array([0.3, -0.8], np.float32)
  want = exact_q(z, mean, log_var, dims)
  # Every minibatch drawn without replacement; row i's z came from q(z|n_i).
  batches = list(itertools.permutations(range(n), b))
  est = np.array([estimate_q(z, list(p), mean, log_var, n, 'mss', dims) for p in batches])
  for i in range(b):
    np.testing.assert_allclose(est[:, i].mean(), want, rtol=1e-5)


def test_mws_estimate_of_q_in_expectation():
  """With the other B - 1 examples drawn i.i.d. from the data, E[estimate of q(z_0)] =
  (q(z_0|n_0) + (B - 1) q(z_0)) / (N B): the paper's lower bound, not q(z_0)."""
  n, b, dims = 4, 3, [0, 1]
  mean, log_var = posteriors(n, 2, seed=2)
  z = np.array([-0.2, 0.5], np.float32)
  q, q_own = exact_q(z, mean, log_var, dims), exact_q(z, mean[:1], log_var[:1], dims)
  est = [estimate_q(z, [0, *rest], mean, log_var, n, 'mws', dims)[0]
         for rest in itertools.product(range(n), repeat=b - 1)]
  np.testing.assert_allclose(np.mean(est), (q_own + (b - 1) * q) / (n * b), rtol=1e-5)
  assert np.mean(est) < q


def factorised_batch(n, d, sd, correlated=False, seed=0):
  rng = np.random.default_rng(seed)
  mean = rng.normal(size=(n, d)).astype(np.float32)
  if correlated:
    mean[:, 1] = mean[:, 0]
  log_var = np.full((n, d), 2 * np.log(sd), np.float32)
  z = (mean + sd * rng.normal(size=(n, d))).astype(np.float32)
  return jnp.asarray(z), jnp.asarray(mean), jnp.asarray(log_var)


def test_total_correlation_of_a_factorised_posterior_is_near_zero():
  n, d = 2048, 3          # the whole dataset in one batch; posteriors' means independent
  batch = factorised_batch(n, d, 0.5)
  mss = {k: float(v.mean()) for k, v in T.kl_decomposition(*batch, n, 'mss').items()}
  assert abs(mss['tc']) < 0.05
  dependent = T.kl_decomposition(*factorised_batch(n, d, 0.5, correlated=True), n, 'mss')
  assert float(dependent['tc'].mean()) > 0.3
  # mws: the same, up to its constant offset (D - 1) log N.
  mws = T.kl_decomposition(*batch, n, 'mws')
  assert abs(float(mws['tc'].mean()) - (d - 1) * math.log(n) - mss['tc']) < 0.02


def latents(b=8, d=3, seed=0):
  mean, log_var = posteriors(b, d, seed)
  mean, log_var = jnp.asarray(mean), jnp.asarray(log_var)
  x = jnp.asarray(np.random.default_rng(seed).normal(size=(b, d)), jnp.float32)
  ll = lambda z: -0.5 * ((x - z) ** 2).sum(-1)    # any decoder will do
  return mean, log_var, ll


@pytest.mark.parametrize('sampling', ['mws', 'mss'])
def test_decomposition_is_the_sampled_kl_and_unit_weights_are_the_elbo(sampling):
  mean, log_var, ll = latents()
  z = E.reparameterize(KEY, mean, log_var)
  terms = T.kl_decomposition(z, mean, log_var, 50, sampling)
  np.testing.assert_allclose(terms['mi'] + terms['tc'] + terms['dim_kl'],
                             E.mc_kl(z, mean, log_var), rtol=1e-5, atol=1e-4)
  q = Latents(mean=mean, log_var=log_var, z=z, log_likelihood=ll, step=jnp.int32(0))
  ctx = Context(kl='mc', dataset_size=50, batch_size=8)
  tc_loss, tc_metrics = T.loss(T.BetaTCVAEConfig(sampling=sampling), ctx, q)
  elbo_loss, elbo_metrics = elbo_variant.loss(elbo_variant.ElboConfig(), ctx, q)
  np.testing.assert_allclose(tc_loss, elbo_loss, rtol=1e-5)
  for key in ('elbo', 'kl', 'recon'):
    np.testing.assert_allclose(tc_metrics[key], elbo_metrics[key], rtol=1e-5, atol=1e-5)
  weighted, _ = T.loss(T.BetaTCVAEConfig(alpha=2.0, beta=6.0, gamma=0.5, sampling=sampling),
                       ctx, q)
  want = (-ll(z) + 2 * terms['mi'] + 6 * terms['tc'] + 0.5 * terms['dim_kl']).mean()
  np.testing.assert_allclose(weighted, want, rtol=1e-5)


def test_decomposed_kl_is_the_analytic_kl_in_expectation():
  mean, log_var, _ = latents(b=6, d=2, seed=3)
  kl = jax.jit(jax.vmap(lambda k: sum(
      T.kl_decomposition(E.reparameterize(k, mean, log_var), mean, log_var, 20, 'mss')
      .values()).mean()))(jax.random.split(KEY, 20_000))
  exact = float(E.gaussian_kl(mean, log_var).mean())
  assert abs(float(kl.mean()) - exact) < 4 * float(kl.std()) / math.sqrt(kl.size)


def test_gradients_reach_the_encoder_through_every_term():
  _, _, ll = latents()
  x = jnp.ones((8, 4))

  def loss(enc):
    mean, log_var = x @ enc['m'], x @ enc['v']
    q = Latents(mean, log_var, E.reparameterize(KEY, mean, log_var), ll, jnp.int32(0))
    return T.loss(T.BetaTCVAEConfig(beta=6.0), Context(dataset_size=100, batch_size=8), q)[0]

  grads = jax.grad(loss)({'m': jnp.full((4, 3), 0.1), 'v': jnp.full((4, 3), -0.1)})
  assert all(np.all(np.isfinite(g)) and float(jnp.abs(g).max()) > 0
             for g in jax.tree.leaves(grads))


@pytest.mark.parametrize('args, message', [
    ((3, 5, 'iw'), "unknown minibatch sampling estimator 'iw'; choose one of: mws, mss"),
    ((1, 5, 'mws'), 'batch size 1 must be in [2, dataset size 5]'),
    ((6, 5, 'mss'), 'batch size 6 must be in [2, dataset size 5]'),
])
def test_bad_estimator_arguments(args, message):
  with pytest.raises(ValueError) as e:
    T.log_batch_weights(*args)
  assert str(e.value).startswith(message) and '\n' not in str(e.value)
