"""Embedded 2-D densities for flows, GANs and diffusion models that run in seconds on a CPU.

The shapes follow the usual FFJORD / neural-spline-flow definitions (values within about
[-4, 4], centred near 0) so that pictures and numbers are comparable with the literature.
Each split is a fixed sample drawn with numpy from a seed derived from (name, split), so the
train and test splits differ and every run sees the same points.
"""
import math
import zlib

import numpy as np

from gdm.data.source import ArraySource, DatasetInfo

DEFAULT_SIZES = {'train': 50_000, 'test': 10_000}

# Mixture constants, exposed for mode-coverage metrics (nearest centre within a few stds).
EIGHT_GAUSSIANS_CENTERS = (4 / 1.414) * np.array(
    [(math.cos(a), math.sin(a)) for a in np.arange(8) * (2 * math.pi / 8)])
EIGHT_GAUSSIANS_STD = 0.5 / 1.414
GRID25_CENTERS = np.array([(i, j) for i in (-4., -2., 0., 2., 4.) for j in (-4., -2., 0., 2., 4.)])
GRID25_STD = 0.05

GAUSSIAN_COV = np.array([[2.0, 1.2], [1.2, 1.0]])


def gaussian_entropy(cov: np.ndarray = GAUSSIAN_COV) -> float:
  """Differential entropy (nats) of N(0, cov): 0.5 * log((2 pi e)^d det cov)."""
  d = cov.shape[0]
  return 0.5 * math.log((2 * math.pi * math.e) ** d * np.linalg.det(cov))


GAUSSIAN_ENTROPY = gaussian_entropy()  # 2.548 nats; the target for entropy estimators


def _mixture(rng, n, centers, std):
  y = rng.integers(len(centers), size=n)
  return centers[y] + std * rng.standard_normal((n, 2)), y


def eight_gaussians(rng, n):
  return _mixture(rng, n, EIGHT_GAUSSIANS_CENTERS, EIGHT_GAUSSIANS_STD)


def grid25(rng, n):
  return _mixture(rng, n, GRID25_CENTERS, GRID25_STD)


def moons(rng, n):
  # sklearn's make_moons(noise=0.1), then scaled and shifted as in FFJORD.
  upper = rng.random(n) < 0.5
  t = math.pi * rng.random(n)
  x = np.where(upper, np.cos(t), 1 - np.cos(t))
  y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
  pts = np.stack([x, y], 1) + 0.1 * rng.standard_normal((n, 2))
  return pts * 2 + np.array([-1, -0.2]), None


def checkerboard(rng, n):
  x1 = rng.random(n) * 4 - 2
  x2 = rng.random(n) - rng.integers(0, 2, n) * 2 + np.floor(x1) % 2
  return np.stack([x1, x2], 1) * 2, None


def swissroll(rng, n):
  # sklearn's make_swiss_roll(noise=1.0), keeping the two coordinates of the spiral, / 5.
  t = 1.5 * math.pi * (1 + 2 * rng.random(n))
  pts = np.stack([t * np.cos(t), t * np.sin(t)], 1) + rng.standard_normal((n, 2))
  return pts / 5, None


def circles(rng, n):
  # sklearn's make_circles(factor=0.5, noise=0.08) * 3.
  radius = np.where(rng.random(n) < 0.5, 1.0, 0.5)
  t = 2 * math.pi * rng.random(n)
  pts = radius[:, None] * np.stack([np.cos(t), np.sin(t)], 1)
  return (pts + 0.08 * rng.standard_normal((n, 2))) * 3, None


def pinwheel(rng, n):
  arms, rate = 5, 0.25
  label = rng.integers(arms, size=n)
  feats = rng.standard_normal((n, 2)) * np.array([0.3, 0.1]) + np.array([1.0, 0.0])
  angle = label * (2 * math.pi / arms) + rate * np.exp(feats[:, 0])
  c, s = np.cos(angle), np.sin(angle)
  # Row vector times the rotation [[c, -s], [s, c]], as in FFJORD.
  pts = np.stack([feats[:, 0] * c + feats[:, 1] * s, -feats[:, 0] * s + feats[:, 1] * c], 1)
  return 2 * pts, None


def gaussian(rng, n):
  return rng.standard_normal((n, 2)) @ np.linalg.cholesky(GAUSSIAN_COV).T, None


# name -> (sampler(rng, n) -> (x [n, 2], labels or None), number of classes)
TOYS = {
    'moons': (moons, 0),
    'eight_gaussians': (eight_gaussians, 8),
    'grid25': (grid25, 25),
    'checkerboard': (checkerboard, 0),
    'swissroll': (swissroll, 0),
    'circles': (circles, 0),
    'pinwheel': (pinwheel, 0),
    'gaussian': (gaussian, 0),
}


def make_source(name: str, split: str, num_examples: int = 0) -> ArraySource:
  """The fixed sample of toy `name` for `split`; `num_examples` > 0 overrides its size."""
  sampler, num_classes = TOYS[name]
  n = num_examples if num_examples > 0 else DEFAULT_SIZES[split]
  # crc32, unlike hash(), is the same in every process and Python run.
  rng = np.random.default_rng([zlib.crc32(name.encode()), zlib.crc32(split.encode())])
  x, y = sampler(rng, n)
  info = DatasetInfo(name=name, shape=(2,), kind='vector', num_classes=num_classes,
                     num_examples=n)
  return ArraySource(info, x.astype(np.float32), None if y is None else y.astype(np.int32))
