"""DDPM's discretized Gaussian decoder: the exact (log-space) convention against a float64
reference that integrates the density without any CDF, the 'paper' convention against a
float64 transcription of improved-diffusion's discretized_gaussian_log_likelihood."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import integrate, special

from gdm.objectives import decoder_likelihoods as L

H = 1.0 / 255.0    # half a bin
VALUES = 2 * np.arange(256) / 255 - 1


def log_normal_mass(lo, hi):
  """log of the standard normal mass on [lo, hi] in float64 (either end may be infinite).
  In a tail the density is factored out at the end nearer 0: the mass is phi(e) times the
  integral of a bounded function, so nothing underflows or cancels."""
  if lo >= 0 or hi <= 0:
    e, sign = (lo, -1.0) if lo >= 0 else (hi, 1.0)
    width = hi - lo
    inner, _ = integrate.quad(lambda u: math.exp(sign * e * u - 0.5 * u * u), 0, width,
                              epsabs=0, epsrel=1e-13, limit=200)
    return -0.5 * e * e - 0.5 * math.log(2 * math.pi) + math.log(inner)
  return math.log(special.ndtr(hi) - special.ndtr(lo))


def reference_exact(x, mean, std):
  lo = -np.inf if x < -1 + H / 2 else (x - mean - H) / std
  hi = np.inf if x > 1 - H / 2 else (x - mean + H) / std
  return log_normal_mass(lo, hi)


def reference_paper(x, mean, log_scale):
  """improved_diffusion/losses.py:discretized_gaussian_log_likelihood in numpy float64."""
  cdf = lambda v: 0.5 * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (v + 0.044715 * v ** 3)))
  inv = np.exp(-log_scale)
  cdf_plus, cdf_min = cdf(inv * (x - mean + H)), cdf(inv * (x - mean - H))
  return np.where(x < -0.999, np.log(np.maximum(cdf_plus, 1e-12)),
                  np.where(x > 0.999, np.log(np.maximum(1.0 - cdf_min, 1e-12)),
                           np.log(np.maximum(cdf_plus - cdf_min, 1e-12))))


def cases():
  """(pixel value, mean, std): near and far, in both tails, interior and outer bins."""
  rng = np.random.default_rng(0)
  out = [(VALUES[200], VALUES[200], 0.01), (VALUES[10], 0.9, 0.02), (VALUES[255], -0.5, 0.05),
         (VALUES[0], 0.7, 0.03), (VALUES[128], -0.6, 0.01), (VALUES[3], 0.95, 0.01),
         (VALUES[128], 0.0, 3.0), (VALUES[0], -1.2, 0.5), (VALUES[255], 1.0, 0.001)]
  for _ in range(40):
    out.append((VALUES[rng.integers(256)], rng.uniform(-1.2, 1.2),
                math.exp(rng.uniform(math.log(1e-3), math.log(2.0)))))
  return out


def run(convention, xs, means, log_var):
  x = jnp.asarray(xs, jnp.float32).reshape(-1, 1)
  return np.asarray(jax.vmap(lambda a, m, v: L.discretized_gaussian_log_prob(
      a[None], m[None], v[None], convention)[0])(x, jnp.asarray(means, jnp.float32).reshape(-1, 1),
                                                jnp.asarray(log_var, jnp.float32).reshape(-1, 1)))


def test_exact_matches_float64_reference_far_into_the_tails():
  xs, means, stds = map(np.array, zip(*cases()))
  means32, log_var32 = means.astype(np.float32), (2 * np.log(stds)).astype(np.float32)
  got = run('exact', xs, means32, log_var32)
  # The reference at the float32 inputs the function sees.
  want = np.array([reference_exact(float(np.float32(x)), float(m), math.exp(0.5 * float(v)))
                   for x, m, v in zip(xs, means32, log_var32)])
  assert want.min() < -1000      # the cases reach far below the paper's floor of -27.6
  # float32: the standardised edges carry a relative rounding of ~1e-7, which the log of a
  # tail mass (about -edge^2 / 2) doubles.
  np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-5)


def test_the_issues_examples_and_the_papers_floor():
  # 15 and 23 sigma off: the paper convention stops at log(1e-12), the exact one does not.
  xs, stds = [VALUES[128], VALUES[40]], [0.01] * 2
  means = [VALUES[128] + 0.15, VALUES[40] - 0.23]
  log_var = 2 * np.log(stds)
  exact, paper = run('exact', xs, means, log_var), run('paper', xs, means, log_var)
  want = [reference_exact(float(np.float32(x)), float(np.float32(m)), s)
          for x, m, s in zip(xs, means, stds)]
  np.testing.assert_allclose(exact, want, rtol=2e-6)
  assert exact[0] < -110 and exact[1] < -255, exact     # -110.3 and -259.6 nats
  np.testing.assert_allclose(paper, math.log(1e-12), rtol=1e-6)


def test_paper_convention_matches_improved_diffusion():
  xs, means, stds = map(np.array, zip(*cases()))
  means32, log_var32 = means.astype(np.float32), (2 * np.log(stds)).astype(np.float32)
  got = run('paper', xs, means32, log_var32)
  want = reference_paper(xs.astype(np.float32).astype(np.float64), means32.astype(np.float64),
                         0.5 * log_var32.astype(np.float64))
  # float32 CDF differences: the absolute error of a probability is ~1e-7.
  np.testing.assert_allclose(np.exp(got), np.exp(want), rtol=1e-4, atol=3e-7)


@pytest.mark.parametrize('convention', ['exact', 'paper'])
def test_a_distribution_over_256_values_with_finite_gradients(convention):
  values = jnp.asarray(VALUES, jnp.float32).reshape(256, 1)
  total = jax.jit(lambda m, s: jnp.exp(L.discretized_gaussian_log_prob(
      values, jnp.full_like(values, m), jnp.full_like(values, 2 * jnp.log(s)), convention)).sum())
  for mean, std in ((0.1, 0.2), (-0.99, 0.03), (0.5, 2.0), (0.3, 0.004)):
    np.testing.assert_allclose(float(total(mean, std)), 1.0, rtol=1e-4)
  # Gradients stay finite for pixels predicted hopelessly badly (the training bound needs them).
  x = jnp.asarray(VALUES[[0, 7, 128, 250, 255]], jnp.float32).reshape(5, 1)
  grad = jax.jit(jax.grad(lambda m, v: L.discretized_gaussian_log_prob(
      x, jnp.full_like(x, m), jnp.full_like(x, v), convention).sum(), argnums=(0, 1)))
  for mean in (-1.0, 0.0, 0.7, 1.0):
    assert np.all(np.isfinite(grad(mean, 2 * math.log(0.001))))
