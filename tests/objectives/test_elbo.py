"""ELBO pieces against closed forms: Gaussian KL, a linear-Gaussian model with a tractable
marginal (ELBO <= log p(x), IWAE rises with k towards it), chunking, warm-up, free bits."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from gdm.objectives import elbo as E
from gdm.objectives.decoder_likelihoods import gaussian_log_prob

# 'rbg' keys: XLA:CPU compiles the default threefry generator slowly; the bounds are
# key-agnostic.
KEY = jax.random.key(0, impl='rbg')


def test_gaussian_kl_matches_numpy_closed_form():
  rng = np.random.default_rng(0)
  mean, log_var = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
  sd = np.exp(0.5 * log_var)
  want = (-np.log(sd) + (sd ** 2 + mean ** 2) / 2 - 0.5).sum(1)   # KL(N(m, sd) || N(0, 1))
  got = E.gaussian_kl(jnp.asarray(mean, jnp.float32), jnp.asarray(log_var, jnp.float32))
  assert got.shape == (5,) and got.dtype == jnp.float32
  np.testing.assert_allclose(got, want, rtol=1e-5)


def test_monte_carlo_kl_converges_to_analytic():
  mean = jnp.array([[0.5, -1.0, 2.0]])
  log_var = jnp.array([[-1.0, 0.5, 0.0]])
  n = 200_000
  z = jax.vmap(lambda k: E.reparameterize(k, mean, log_var))(jax.random.split(KEY, n))
  mc = jax.vmap(lambda zi: E.mc_kl(zi, mean, log_var))(z)[:, 0]
  exact = float(E.gaussian_kl(mean, log_var)[0])
  assert abs(float(mc.mean()) - exact) < 4 * float(mc.std()) / np.sqrt(n)
  # elbo(kl_estimator='mc') reports log q - log p at its own sample.
  terms = E.elbo(KEY, mean, log_var, lambda z: jnp.zeros(z.shape[0]), 'mc')
  zs = E.reparameterize(KEY, mean, log_var)
  np.testing.assert_allclose(terms['kl'], E.mc_kl(zs, mean, log_var), rtol=1e-6)


# ------------------------------------------------- linear Gaussian: p(x) = N(b, WW^T + s^2 I)

S = 0.5


def _linear_model(orthogonal, seed=0, d_x=4, d_z=2, n=3):
  rng = np.random.default_rng(seed)
  w = rng.normal(size=(d_x, d_z))
  if orthogonal:   # orthogonal columns: the exact posterior is diagonal
    w = np.linalg.qr(w)[0] * np.array([1.5, 0.7])
  b = rng.normal(size=d_x)
  x = rng.normal(size=(n, d_x)) * 2
  log_px = stats.multivariate_normal(b, w @ w.T + S ** 2 * np.eye(d_x)).logpdf(x)
  post_cov = np.linalg.inv(np.eye(d_z) + w.T @ w / S ** 2)
  post_mean = (x - b) @ w @ post_cov / S ** 2
  f = lambda a: jnp.asarray(a, jnp.float32)
  ll = lambda z: gaussian_log_prob(z @ f(w).T + f(b), np.log(S), f(x))
  return f(post_mean), f(np.log(np.diag(post_cov))[None].repeat(n, 0)), ll, log_px, (w, b, x)


def _expected_elbo(mean, log_var, w, b, x):
  """E_q[log N(x; Wz + b, S^2 I)] - KL(q || N(0, I)) in closed form (float64)."""
  mean, var = np.asarray(mean, np.float64), np.exp(np.asarray(log_var, np.float64))
  resid = x - mean @ w.T - b
  spread = var @ (w ** 2).T                          # diag(W diag(var) W^T) per example
  rec = (-0.5 * np.log(2 * np.pi * S ** 2) - (resid ** 2 + spread) / (2 * S ** 2)).sum(1)
  return rec - 0.5 * (var + mean ** 2 - 1 - np.log(var)).sum(1)


def test_exact_posterior_makes_every_bound_exact():
  mean, log_var, ll, log_px, wbx = _linear_model(orthogonal=True)
  # Every importance weight equals p(x): the single-sample bound with the sampled KL
  # (log q - log p at z) is exact; the analytic-KL form is exact only in expectation.
  np.testing.assert_allclose(E.elbo(KEY, mean, log_var, ll, 'mc')['elbo'], log_px, atol=1e-4)
  for k in (1, 7):
    np.testing.assert_allclose(E.iwae_bound(KEY, mean, log_var, ll, k), log_px, atol=1e-4)


def test_elbo_below_log_px_and_iwae_rises_with_k():
  mean, log_var, ll, log_px, wbx = _linear_model(orthogonal=False)
  mean = mean + 0.3                                 # a worse q: a clear gap
  def avg(f, reps):                                 # mean over independent keys
    keys = jax.random.split(KEY, reps)
    return np.asarray(jax.jit(jax.vmap(f))(keys)).mean(0)
  elbo = avg(lambda k: E.elbo(k, mean, log_var, ll)['elbo'], 4000)
  bounds = {k: avg(lambda key, k=k: E.iwae_bound(key, mean, log_var, ll, k, 250), reps)
            for k, reps in ((1, 4000), (10, 400), (1000, 8))}
  exact = _expected_elbo(mean, log_var, *wbx)
  assert np.all(exact < log_px - 0.1)
  np.testing.assert_allclose(elbo, exact, rtol=0.01)         # the estimator is unbiased
  np.testing.assert_allclose(bounds[1], elbo, rtol=0.02)     # k=1 is the ELBO
  assert np.all(bounds[1] < bounds[10]) and np.all(bounds[10] < bounds[1000])
  # Within Monte-Carlo noise of log p(x) (an estimate may overshoot; its mean cannot).
  np.testing.assert_allclose(bounds[1000], log_px, atol=0.05)


def test_chunked_iwae_equals_unchunked():
  mean, log_var, ll, _, _ = _linear_model(orthogonal=False, seed=1)
  key = jax.random.key(0)     # threefry: its draws do not depend on the vmap batch size
  whole = E.iwae_bound(key, mean, log_var, ll, 50)
  for chunk in (1, 7, 50, 64):                      # 7: the last chunk overhangs k
    np.testing.assert_allclose(E.iwae_bound(key, mean, log_var, ll, 50, chunk), whole,
                               rtol=1e-5)


def test_iwae_loss_k1_is_one_sample_elbo_and_k_must_be_positive():
  mean, log_var, ll, _, _ = _linear_model(orthogonal=False, seed=2)
  z = E.reparameterize(jax.random.fold_in(KEY, 0), mean, log_var)
  want = -(ll(z) + E.standard_normal_log_prob(z) - E.diag_gaussian_log_prob(z, mean, log_var))
  np.testing.assert_allclose(E.iwae_loss(KEY, mean, log_var, ll, 1), want, rtol=1e-5)
  with pytest.raises(ValueError, match=r'^k=0 must be >= 1') as e:
    E.iwae_bound(KEY, mean, log_var, ll, 0)
  assert '\n' not in str(e.value)


@pytest.mark.parametrize('objective', ['elbo', 'iwae'])
def test_gradients_flow_through_the_reparameterized_sample(objective):
  _, _, ll, _, _ = _linear_model(orthogonal=False)
  x = jnp.ones((3, 4))

  def loss(enc):   # a linear encoder: its params get gradient only through z
    mean, log_var = x @ enc['m'], x @ enc['v']
    if objective == 'iwae':
      return E.iwae_loss(KEY, mean, log_var, ll, 5).mean()
    t = E.elbo(KEY, mean, log_var, ll)
    return -t['elbo'].mean()

  enc = {'m': jnp.full((4, 2), 0.1), 'v': jnp.full((4, 2), -0.1)}
  grads = jax.grad(loss)(enc)
  assert all(float(jnp.abs(g).min()) > 0 for g in jax.tree.leaves(grads))


def test_kl_warmup_is_linear_to_beta():
  got = [float(E.kl_weight(s, 4.0, 100)) for s in (0, 25, 100, 1000)]
  np.testing.assert_allclose(got, [0.0, 1.0, 4.0, 4.0])
  assert float(E.kl_weight(0, 2.0, 0)) == 2.0


def test_free_bits_floor_the_batch_mean_kl_per_dim():
  kl = jnp.array([[0.0, 0.4, 1.0], [0.2, 0.6, 3.0]])   # batch means 0.1, 0.5, 2.0
  np.testing.assert_allclose(E.free_bits_kl(kl, 0.3), 0.3 + 0.5 + 2.0, rtol=1e-6)
  np.testing.assert_allclose(E.free_bits_kl(kl, 0.0), 2.6, rtol=1e-6)
  g = jax.grad(lambda k: E.free_bits_kl(k, 0.3))(kl)
  np.testing.assert_allclose(g, [[0.0, 0.5, 0.5]] * 2)  # no push below the floor
