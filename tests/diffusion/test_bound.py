"""The variational bound: Gaussian KLs and the discretized decoder against closed forms, and
the whole bound with the exact reverse process of Gaussian data equals the data's entropy
plus KL(q(x_T) || N(0, I)), which is what it is in closed form."""
import math

import jax
import jax.numpy as jnp
import numpy as np

from gdm.diffusion import schedules
from gdm.diffusion import bound as B

KEY = jax.random.key(0, impl='rbg')


def test_normal_kl():
  m1, v1, m2, v2 = 0.3, 0.5, -1.0, 2.0
  expected = 0.5 * (math.log(v2 / v1) + (v1 + (m1 - m2) ** 2) / v2 - 1)
  got = B.normal_kl(jnp.float32(m1), jnp.log(jnp.float32(v1)), jnp.float32(m2),
                    jnp.log(jnp.float32(v2)))
  np.testing.assert_allclose(float(got), expected, rtol=1e-5)


def test_discretized_gaussian_is_a_distribution_over_256_values():
  values = (2 * jnp.arange(256, dtype=jnp.float32) / 255 - 1).reshape(256, 1, 1, 1)
  for mean, log_var in ((0.1, math.log(0.05)), (-0.99, math.log(1e-3)), (0.5, math.log(4.0))):
    lp = B.discretized_gaussian_log_prob(values, jnp.full_like(values, mean),
                                         jnp.full_like(values, log_var))
    np.testing.assert_allclose(float(jnp.exp(lp).sum()), 1.0, rtol=1e-4)
  # An interior bin: the Gaussian mass between its edges.
  x = jnp.full((1, 1, 1, 1), 2 * 100 / 255 - 1)
  std = 0.1
  from scipy.stats import norm
  expected = norm.cdf(float(x[0, 0, 0, 0]) + 1 / 255, 0.0, std) - norm.cdf(
      float(x[0, 0, 0, 0]) - 1 / 255, 0.0, std)
  got = B.discretized_gaussian_log_prob(x, jnp.zeros_like(x), jnp.full_like(x, 2 * math.log(std)))
  np.testing.assert_allclose(float(got[0]), math.log(expected), rtol=1e-4)


def test_bound_of_the_exact_reverse_process_is_entropy_plus_prior_kl():
  """x_0 ~ N(MU, V I). With p(x_{t-1} | x_t) = q(x_{t-1} | x_t) (Gaussian, known) and the
  decoder p(x_0 | x_1) = q(x_0 | x_1), E[bound] = H(x_0) + KL(q(x_T) || N(0, I))."""
  T, V, n = 50, 0.5, 20_000
  mu = np.array([1.0, -0.5])
  s = schedules.make_schedule('linear', T)
  x0 = jnp.asarray(mu + math.sqrt(V) * np.random.default_rng(0).standard_normal((n, 2)),
                   jnp.float32)

  def reverse_fn(xt, t):
    a, sigma = schedules.marginal(s, t, xt)
    var_t = a * a * V + sigma * sigma
    x0_mean = mu + a * V / var_t * (xt - a * mu)       # E[x_0 | x_t]
    x0_var = V * sigma * sigma / var_t                 # Var[x_0 | x_t]
    mean, post_var, _ = schedules.posterior(s, x0_mean, xt, t)
    coef = schedules._at(s.posterior_coef_x0, t, xt)
    # t = 0 is the decoder: x_0 | x_1 itself.
    var = jnp.where(t[:, None] == 0, x0_var, post_var + coef ** 2 * x0_var)
    mean = jnp.where(t[:, None] == 0, x0_mean, mean)
    return mean, jnp.log(jnp.broadcast_to(var, xt.shape))

  total = jax.jit(lambda k: B.full_bound(k, s, x0, reverse_fn, False))(KEY)
  entropy = 0.5 * 2 * math.log(2 * math.pi * math.e * V)
  a_T, ab_T = math.sqrt(float(s.alpha_bar[-1])), float(s.alpha_bar[-1])
  var_T = ab_T * V + 1 - ab_T
  kl_T = 0.5 * sum(var_T + (a_T * m) ** 2 - 1 - math.log(var_T) for m in mu)
  se = float(total.std()) / math.sqrt(n)
  np.testing.assert_allclose(float(total.mean()), entropy + kl_T, atol=5 * se + 1e-3)
  # The prior term alone is L_T's closed form.
  np.testing.assert_allclose(float(B.prior_kl(s, jnp.asarray(mu[None], jnp.float32))[0]),
                             0.5 * sum(ab_T * m * m + (1 - ab_T) - 1 - math.log(1 - ab_T)
                                       for m in mu), rtol=1e-2, atol=1e-8)


def test_ddpm_decoder_convention_changes_only_l0():
  """model.ddpm.decoder reaches the bound: 'exact' and 'paper' differ by L_0 alone."""
  from gdm.diffusion.processes.common import ProcessData
  from gdm.diffusion.processes.ddpm import DDPM, DDPMSettings
  shape = (4, 4, 1)
  x0 = jnp.asarray(np.random.default_rng(0).integers(0, 256, (3,) + shape) / 127.5 - 1,
                   jnp.float32)
  out_fn = lambda x, t: 30.0 * jnp.ones_like(x)   # eps far off: x_0 predicted ~30 sigma away
  nll = {}
  for convention in ('exact', 'paper'):
    p = DDPM.build(DDPMSettings(num_timesteps=8, decoder=convention),
                   ProcessData(shape, clip=(-1.0, 1.0), discrete=True))
    nll[convention] = jax.jit(lambda k, p=p: p.nll(k, out_fn, x0))(KEY)
  # L_0 as full_bound draws it: x_1 from the key folded with t = 0.
  xt = schedules.q_sample(p.schedule, x0, jnp.zeros((3,), jnp.int32),
                          jax.random.normal(jax.random.fold_in(KEY, 0), x0.shape))
  mean, log_var = p.reverse(out_fn, xt, jnp.zeros((3,), jnp.int32))
  l0 = {c: -B.decoder_log_prob(x0, mean, log_var, True, c) for c in ('exact', 'paper')}
  np.testing.assert_allclose(nll['exact'] - nll['paper'], l0['exact'] - l0['paper'],
                             rtol=1e-4, atol=1e-2)
  # The floor at log(1e-12) per subpixel made L_0 optimistic by thousands of nats here.
  assert np.all(np.asarray(l0['exact'] - l0['paper']) > 1000), l0
