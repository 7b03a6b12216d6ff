"""Distances between sets of features: FID, KID, Inception Score, precision and recall.

Everything is computed on host in float64 with numpy: these run once per evaluation on
pooled features, where precision matters more than speed.
"""
import numpy as np

from gdm.utils.npz import read_npz


def _features(x, name: str) -> np.ndarray:
  x = np.asarray(x, np.float64)
  if x.ndim != 2:
    raise ValueError(f'{name} must be [num_examples, dim] features, got shape {x.shape}')
  return x


def gaussian_stats(features) -> tuple[np.ndarray, np.ndarray]:
  """Mean and (unbiased, as pytorch-fid) covariance of [N, D] features."""
  f = _features(features, 'features')
  if len(f) < 2:
    raise ValueError(f'gaussian_stats needs at least 2 examples, got {len(f)}')
  return f.mean(0), np.cov(f, rowvar=False)


def moment_errors(samples, mean, cov) -> dict[str, float]:
  """How far samples [N, D] are from a known mean and covariance: the largest absolute error
  of the mean, and of the (unbiased) covariance relative to the largest |cov| entry."""
  mu, sigma = gaussian_stats(samples)
  cov = np.asarray(cov, np.float64)
  return {'mean_error': float(np.abs(mu - np.asarray(mean, np.float64)).max()),
          'cov_error': float(np.abs(np.atleast_2d(sigma) - cov).max() / np.abs(cov).max())}


def _sqrt_psd(m: np.ndarray) -> np.ndarray:
  w, v = np.linalg.eigh((m + m.T) / 2)
  return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def frechet_distance(mu1, sigma1, mu2, sigma2) -> float:
  """||mu1 - mu2||^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)) between two Gaussians.

  tr((S1 S2)^(1/2)) is taken as the sum of the square roots of the eigenvalues of the
  symmetric PSD matrix S1^(1/2) S2 S1^(1/2), which has the same spectrum as S1 S2; unlike
  scipy's sqrtm of the non-symmetric product it stays real and finite for singular
  covariances (fewer samples than dimensions).
  """
  mu1, mu2 = np.asarray(mu1, np.float64), np.asarray(mu2, np.float64)
  s1, s2 = np.asarray(sigma1, np.float64), np.asarray(sigma2, np.float64)
  d = mu1.shape[-1]
  for name, v, shape in (('mu2', mu2, (d,)), ('sigma1', s1, (d, d)), ('sigma2', s2, (d, d))):
    if v.shape != shape:
      raise ValueError(f'{name} has shape {v.shape}; statistics of dimension {d} need '
                       f'{shape}')
  root = _sqrt_psd(s1)
  eig = np.linalg.eigvalsh(root @ s2 @ root)
  tr_covmean = np.sqrt(np.clip(eig, 0, None)).sum()
  return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * tr_covmean)


def _polynomial_mmd2(x: np.ndarray, y: np.ndarray) -> float:
  """Unbiased MMD^2 with k(a, b) = (a.b / d + 1)^3 (Binkowski et al., 2018)."""
  d = x.shape[1]
  kxx = (x @ x.T / d + 1) ** 3
  kyy = (y @ y.T / d + 1) ** 3
  kxy = (x @ y.T / d + 1) ** 3
  m, n = len(x), len(y)
  return float((kxx.sum() - np.trace(kxx)) / (m * (m - 1))
               + (kyy.sum() - np.trace(kyy)) / (n * (n - 1)) - 2 * kxy.mean())


def kernel_inception_distance(feats1, feats2, num_subsets: int = 100,
                              subset_size: int = 1000, seed: int = 0) -> tuple[float, float]:
  """Mean and std over random subsets of the unbiased polynomial-kernel MMD^2."""
  f1, f2 = _features(feats1, 'feats1'), _features(feats2, 'feats2')
  if f1.shape[1] != f2.shape[1]:
    raise ValueError(f'feature dimensions differ: {f1.shape[1]} vs {f2.shape[1]}')
  if num_subsets < 1 or subset_size < 2 or subset_size > min(len(f1), len(f2)):
    raise ValueError(f'KID with num_subsets={num_subsets}, subset_size={subset_size} needs '
                     f'1 <= num_subsets and 2 <= subset_size <= the smaller set '
                     f'({min(len(f1), len(f2))} examples)')
  rng = np.random.default_rng(seed)
  values = [_polynomial_mmd2(f1[rng.choice(len(f1), subset_size, replace=False)],
                             f2[rng.choice(len(f2), subset_size, replace=False)])
            for _ in range(num_subsets)]
  return float(np.mean(values)), float(np.std(values))


def inception_score(logits, splits: int = 10) -> tuple[float, float]:
  """Mean and std over `splits` parts of exp(E_x KL(p(y|x) || p(y))) (Salimans et al.,
  2016), from classifier logits [N, num_classes]. Part i holds examples
  [i N // splits, (i + 1) N // splits), the boundaries of the original IS code and
  torch-fidelity (np.array_split's differ when splits does not divide N)."""
  z = _features(logits, 'logits')
  if not 1 <= splits <= len(z):
    raise ValueError(f'inception_score with splits={splits} needs 1 <= splits <= the number '
                     f'of examples ({len(z)})')
  z = z - z.max(1, keepdims=True)
  log_p = z - np.log(np.exp(z).sum(1, keepdims=True))
  scores = []
  n = len(log_p)
  for i in range(splits):
    part = log_p[i * n // splits:(i + 1) * n // splits]
    log_marginal = np.log(np.exp(part).mean(0))
    kl = (np.exp(part) * (part - log_marginal)).sum(1).mean()
    scores.append(np.exp(kl))
  return float(np.mean(scores)), float(np.std(scores))


def _pairwise_sq_dists(a: np.ndarray, b: np.ndarray) -> np.ndarray:
  d = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T
  return np.clip(d, 0, None)


def _knn_radii(x: np.ndarray, k: int, chunk: int) -> np.ndarray:
  """Squared distance from each point to its k-th nearest other point of the same set."""
  radii = []
  for i in range(0, len(x), chunk):
    d = _pairwise_sq_dists(x[i:i + chunk], x)
    radii.append(np.partition(d, k, axis=1)[:, k])   # index 0 is the point itself
  return np.concatenate(radii)


def _coverage(points: np.ndarray, centres: np.ndarray, radii: np.ndarray,
              chunk: int) -> float:
  inside = [(_pairwise_sq_dists(points[i:i + chunk], centres) <= radii[None]).any(1)
            for i in range(0, len(points), chunk)]
  return float(np.concatenate(inside).mean())


def precision_recall(real, fake, k: int = 3, chunk: int = 1024) -> dict[str, float]:
  """Improved precision and recall (Kynkaanniemi et al., 2019): the share of fake samples
  inside the real manifold (union of k-NN balls around real features), and of real
  samples inside the fake manifold."""
  real, fake = _features(real, 'real'), _features(fake, 'fake')
  if real.shape[1] != fake.shape[1]:
    raise ValueError(f'feature dimensions differ: {real.shape[1]} vs {fake.shape[1]}')
  if not 1 <= k < min(len(real), len(fake)):
    raise ValueError(f'precision_recall with k={k} needs 1 <= k < the smaller set '
                     f'({min(len(real), len(fake))} examples)')
  return {'precision': _coverage(fake, real, _knn_radii(real, k, chunk), chunk),
          'recall': _coverage(real, fake, _knn_radii(fake, k, chunk), chunk)}


def save_stats(path: str, mu, sigma):
  """Reference statistics in the pytorch-fid .npz format (keys `mu` and `sigma`)."""
  np.savez(path, mu=np.asarray(mu, np.float64), sigma=np.asarray(sigma, np.float64))


def load_stats(path: str, dim: int | None = None,
               what: str = '--ref_stats') -> tuple[np.ndarray, np.ndarray]:
  """(mu, sigma) of a pytorch-fid statistics .npz; one-line errors for a missing, non-zip,
  pickled or non-finite file, missing keys, wrong shapes or an asymmetric sigma."""
  f = read_npz(path, what)
  if 'mu' not in f or 'sigma' not in f:
    raise ValueError(f'{what}={path!r} holds {sorted(f)}; FID statistics need keys mu and '
                     f'sigma')
  mu, sigma = f['mu'].astype(np.float64), f['sigma'].astype(np.float64)
  d = mu.shape[-1] if mu.ndim == 1 else -1
  if mu.ndim != 1 or sigma.shape != (d, d) or (dim is not None and d != dim):
    raise ValueError(f'{what}={path!r}: mu {mu.shape} and sigma {sigma.shape} are not '
                     f'statistics of dimension {dim if dim is not None else "D"} (mu [D], '
                     f'sigma [D, D])')
  if not np.allclose(sigma, sigma.T, rtol=1e-5, atol=1e-8):
    raise ValueError(f'{what}={path!r}: sigma is not symmetric, so it is no covariance '
                     f'matrix')
  return mu, sigma
