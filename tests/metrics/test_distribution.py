"""FID, KID, IS and precision/recall against closed forms, scipy and direct numpy."""
import numpy as np
import pytest
import scipy.linalg
import scipy.special

from gdm.metrics import distribution as dist


def random_cov(rng, d, rank=None):
  a = rng.normal(size=(d, rank or d))
  return a @ a.T / d


def scipy_frechet(mu1, s1, mu2, s2):
  """The pytorch-fid formula with scipy's sqrtm of the (non-symmetric) product."""
  covmean = scipy.linalg.sqrtm(s1 @ s2).real
  return ((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean)


def test_frechet_matches_scipy_formula():
  rng = np.random.default_rng(0)
  for d in (2, 16, 64):
    mu1, mu2 = rng.normal(size=d), rng.normal(size=d)
    s1, s2 = random_cov(rng, d), random_cov(rng, d)
    np.testing.assert_allclose(dist.frechet_distance(mu1, s1, mu2, s2),
                               scipy_frechet(mu1, s1, mu2, s2), rtol=1e-6)


def test_frechet_closed_forms_and_singular_covariances():
  rng = np.random.default_rng(1)
  feats = rng.normal(size=(20, 50))                 # fewer samples than dimensions
  mu, sigma = dist.gaussian_stats(feats)
  assert np.linalg.matrix_rank(sigma) < 50
  # 0 up to the square roots of round-off in the null space: relative to the total variance.
  assert abs(dist.frechet_distance(mu, sigma, mu, sigma)) < 1e-6 * np.trace(sigma)
  shift = rng.normal(size=50)
  np.testing.assert_allclose(dist.frechet_distance(mu, sigma, mu + shift, sigma),
                             (shift ** 2).sum(), atol=1e-6 * np.trace(sigma))
  # Two isotropic Gaussians: d * (a - b)^2 for standard deviations a and b.
  np.testing.assert_allclose(
      dist.frechet_distance(np.zeros(3), 4 * np.eye(3), np.zeros(3), 9 * np.eye(3)), 3.0)


def test_gaussian_stats_match_numpy():
  f = np.random.default_rng(2).normal(size=(100, 5))
  mu, sigma = dist.gaussian_stats(f)
  np.testing.assert_allclose(mu, f.mean(0))
  np.testing.assert_allclose(sigma, np.cov(f, rowvar=False))


def direct_mmd2(x, y):
  d = x.shape[1]
  k = lambda a, b: (a @ b / d + 1) ** 3
  m, n = len(x), len(y)
  xx = sum(k(x[i], x[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
  yy = sum(k(y[i], y[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
  xy = sum(k(x[i], y[j]) for i in range(m) for j in range(n)) / (m * n)
  return xx + yy - 2 * xy


def test_kid_matches_direct_computation():
  rng = np.random.default_rng(3)
  x, y = rng.normal(size=(12, 4)), rng.normal(0.5, 1.0, size=(12, 4))
  mean, std = dist.kernel_inception_distance(x, y, num_subsets=1, subset_size=12)
  np.testing.assert_allclose(mean, direct_mmd2(x, y), rtol=1e-10)
  assert std == 0.0
  # Unbiased: the same distribution gives about 0 (here within the subsets' spread).
  a, b = rng.normal(size=(400, 8)), rng.normal(size=(400, 8))
  mean, std = dist.kernel_inception_distance(a, b, num_subsets=20, subset_size=100)
  assert abs(mean) < 3 * std + 1e-3


def test_inception_score_known_values():
  n, c = 100, 10
  assert dist.inception_score(np.zeros((n, c)), splits=5) == pytest.approx((1.0, 0.0))
  confident = np.full((n, c), -50.0)
  confident[np.arange(n), np.arange(n) % c] = 50.0     # sure of one class, classes balanced
  mean, _ = dist.inception_score(confident, splits=1)
  np.testing.assert_allclose(mean, c, rtol=1e-6)
  logits = np.random.default_rng(4).normal(size=(60, 7))
  p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
  parts = np.array_split(p, 3)
  want = [np.exp(np.mean([(q * np.log(q / part.mean(0))).sum() for q in part]))
          for part in parts]
  got = dist.inception_score(logits, splits=3)
  np.testing.assert_allclose(got, (np.mean(want), np.std(want)), rtol=1e-10)


def reference_inception_score(logits, splits):
  """The original IS code (Salimans et al.'s inception_score.py, as torch-fidelity): softmax
  probabilities, part i = rows [i N // splits, (i + 1) N // splits), float64."""
  preds = scipy.special.softmax(np.asarray(logits, np.float64), axis=1)
  n, scores = preds.shape[0], []
  for i in range(splits):
    part = preds[(i * n // splits):((i + 1) * n // splits), :]
    kl = part * (np.log(part) - np.log(np.expand_dims(np.mean(part, 0), 0)))
    scores.append(np.exp(np.mean(np.sum(kl, 1))))
  return np.mean(scores), np.std(scores)


def test_inception_score_splits_use_the_reference_boundaries():
  # 5003 = 10 * 500 + 3: np.array_split would give the first three parts 501 rows, the
  # reference gives rows 500, 1000 (not 501, 1002), ... and parts of 500 or 501 spread out.
  rng = np.random.default_rng(6)
  logits = 3 * rng.normal(size=(5003, 10)) * rng.uniform(0.2, 2, size=(5003, 1))
  want = reference_inception_score(logits, 10)
  np.testing.assert_allclose(dist.inception_score(logits, splits=10), want, rtol=1e-10)
  # The boundaries matter at this N (array_split's std is measurably different).
  parts = np.array_split(scipy.special.softmax(logits, axis=1), 10)
  other = [np.exp(np.mean(np.sum(q * np.log(q / q.mean(0)), 1))) for q in parts]
  assert abs(np.std(other) / want[1] - 1) > 1e-3


def brute_precision_recall(real, fake, k):
  def radii(x):
    d = np.linalg.norm(x[:, None] - x[None], axis=-1)
    return np.sort(d, axis=1)[:, k]
  def cover(points, centres, r):
    d = np.linalg.norm(points[:, None] - centres[None], axis=-1)
    return (d <= r[None]).any(1).mean()
  return cover(fake, real, radii(real)), cover(real, fake, radii(fake))


def test_precision_recall_matches_brute_force_and_extremes():
  rng = np.random.default_rng(5)
  real, fake = rng.normal(size=(60, 3)), rng.normal(0.7, 1.3, size=(50, 3))
  got = dist.precision_recall(real, fake, k=3, chunk=7)
  want = brute_precision_recall(real, fake, 3)
  np.testing.assert_allclose((got['precision'], got['recall']), want, rtol=1e-12)
  assert dist.precision_recall(real, real, k=3) == {'precision': 1.0, 'recall': 1.0}
  far = dist.precision_recall(real, real + 100.0, k=3)
  assert far == {'precision': 0.0, 'recall': 0.0}


def test_stats_file_round_trip_and_errors(tmp_path):
  mu, sigma = np.arange(3.0), np.eye(3)
  path = str(tmp_path / 'stats.npz')
  dist.save_stats(path, mu, sigma)
  got_mu, got_sigma = dist.load_stats(path, dim=3)
  np.testing.assert_array_equal(got_mu, mu)
  np.testing.assert_array_equal(got_sigma, sigma)
  with pytest.raises(ValueError, match='dimension 2048'):
    dist.load_stats(path, dim=2048)
  np.savez(str(tmp_path / 'bad.npz'), mean=mu)
  with pytest.raises(ValueError, match="holds \\['mean'\\]; FID statistics need keys mu"):
    dist.load_stats(str(tmp_path / 'bad.npz'))


@pytest.mark.parametrize('call, message', [
    (lambda: dist.frechet_distance(np.zeros(3), np.eye(3), np.zeros(4), np.eye(4)),
     'mu2 has shape \\(4,\\)'),
    (lambda: dist.kernel_inception_distance(np.zeros((10, 2)), np.zeros((10, 2)),
                                            subset_size=50), 'subset_size=50'),
    (lambda: dist.inception_score(np.zeros((5, 3)), splits=10), 'splits=10'),
    (lambda: dist.precision_recall(np.zeros((3, 2)), np.zeros((3, 2)), k=3), 'k=3'),
    (lambda: dist.gaussian_stats(np.zeros((4, 2, 2))), 'shape \\(4, 2, 2\\)'),
])
def test_bad_input_errors(call, message):
  with pytest.raises(ValueError, match=message):
    call()


def test_streaming_stats_equal_all_at_once():
  from gdm.metrics.streaming import StreamingStats
  f = np.random.default_rng(6).normal(3.0, 2.0, size=(250, 6))
  stats = StreamingStats(6)
  for part in np.array_split(f, 7):
    stats.update(part)
  mu, sigma = stats.result()
  want_mu, want_sigma = dist.gaussian_stats(f)
  np.testing.assert_allclose(mu, want_mu, rtol=1e-12)
  np.testing.assert_allclose(sigma, want_sigma, rtol=1e-9, atol=1e-12)
  with pytest.raises(ValueError, match='dimension 6'):
    stats.update(np.zeros((2, 5)))


def test_moment_errors_of_known_samples():
  # Two points: mean (1, -2), unbiased covariance [[2, 4], [4, 8]].
  x = np.array([[0.0, -4.0], [2.0, 0.0]])
  got = dist.moment_errors(x, mean=[0.5, -2.0], cov=[[2.0, 1.0], [1.0, 4.0]])
  assert got == pytest.approx({'mean_error': 0.5, 'cov_error': 4.0 / 4.0})
