"""BigGAN's orthogonal regulariser against its formula, ProGAN's drift penalty, and the
truncation trick's resampling (zero latent at 0, the bound, the truncated-normal variance)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from gdm.objectives.adversarial.drift import drift_penalty
from gdm.objectives.adversarial.orthogonal import orthogonal_penalty, orthogonal_regularizer
from gdm.sampling.truncation import truncated_normal

KEY = jax.random.PRNGKey(0)


def _brute_force(w):
  """sum over pairs of distinct filters (columns) of their squared inner product."""
  cols = w.reshape(-1, w.shape[-1]).T
  return sum(float(np.dot(a, b)) ** 2 for i, a in enumerate(cols)
             for j, b in enumerate(cols) if i != j)


def test_orthogonal_penalty_is_the_off_diagonal_gram_norm():
  rng = np.random.default_rng(0)
  for shape in ((5, 3), (3, 3, 2, 4)):
    w = rng.normal(size=shape).astype(np.float32)
    np.testing.assert_allclose(orthogonal_penalty(jnp.asarray(w)), _brute_force(w), rtol=1e-4)
  q, _ = np.linalg.qr(rng.normal(size=(6, 4)))
  assert float(orthogonal_penalty(jnp.asarray(q * [1.0, 2.0, 3.0, 0.5]))) < 1e-10  # norms free


def test_orthogonal_regularizer_sums_kernels_and_leaves_out_embeddings():
  rng = np.random.default_rng(1)
  w1, w2 = rng.normal(size=(4, 3)), rng.normal(size=(2, 2, 3, 5))
  params = {'dense': {'kernel': w1, 'bias': rng.normal(size=(3,))},
            'block': {'SpectralNorm_0': {'conv': {'kernel': w2}}},
            'shared': {'embedding': rng.normal(size=(10, 4))}, 'gamma': np.float32(2.0)}
  np.testing.assert_allclose(orthogonal_regularizer(params), _brute_force(w1) + _brute_force(w2),
                             rtol=1e-4)


def test_drift_penalty_is_the_squared_real_score():
  np.testing.assert_allclose(drift_penalty(jnp.asarray([1.0, -2.0, 0.5])), [1.0, 4.0, 0.25])


def test_truncation_at_zero_is_the_zero_latent():
  np.testing.assert_array_equal(truncated_normal(KEY, (4, 3), 0.0), np.zeros((4, 3)))
  with pytest.raises(ValueError, match='must be >= 0'):
    truncated_normal(KEY, (2,), -1.0)


@pytest.mark.parametrize('threshold', [0.1, 0.5, 2.0])
def test_resampled_latents_lie_under_the_threshold_with_the_truncated_normal_law(threshold):
  z = np.asarray(jax.jit(lambda k: truncated_normal(k, (20000,), threshold))(KEY))
  assert np.abs(z).max() <= threshold
  want = stats.truncnorm(-threshold, threshold)
  np.testing.assert_allclose(z.var(), want.var(), rtol=0.05)
  assert stats.kstest(z, want.cdf).pvalue > 1e-3
