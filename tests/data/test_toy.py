import math

import numpy as np
import pytest

from gdm.data import toy


@pytest.mark.parametrize('name', sorted(toy.TOYS))
def test_shape_determinism_and_splits(name):
  train = toy.make_source(name, 'train', num_examples=1000)
  again = toy.make_source(name, 'train', num_examples=1000)
  test = toy.make_source(name, 'test', num_examples=1000)
  batch = train[np.arange(10)]
  assert batch['x'].shape == (10, 2) and batch['x'].dtype == np.float32
  assert train.info.kind == 'vector' and train.info.shape == (2,) and len(train) == 1000
  np.testing.assert_array_equal(train.x, again.x)
  assert not np.allclose(train.x, test.x)
  assert np.all(np.isfinite(train.x)) and np.abs(train.x).max() < 10
  assert ('y' in batch) == (train.info.num_classes > 0)


def test_default_sizes():
  assert len(toy.make_source('moons', 'train')) == 50_000
  assert len(toy.make_source('moons', 'test')) == 10_000


def test_gaussian_covariance_and_entropy():
  x = toy.make_source('gaussian', 'train').x.astype(np.float64)
  np.testing.assert_allclose(x.mean(0), 0, atol=0.03)
  np.testing.assert_allclose(np.cov(x.T), toy.GAUSSIAN_COV, atol=0.05)
  det = 2.0 * 1.0 - 1.2 ** 2
  closed_form = 0.5 * math.log((2 * math.pi * math.e) ** 2 * det)
  assert toy.GAUSSIAN_ENTROPY == pytest.approx(closed_form)
  assert toy.GAUSSIAN_ENTROPY == pytest.approx(2.548, abs=1e-3)


@pytest.mark.parametrize('name, centers, std', [
    ('eight_gaussians', toy.EIGHT_GAUSSIANS_CENTERS, toy.EIGHT_GAUSSIANS_STD),
    ('grid25', toy.GRID25_CENTERS, toy.GRID25_STD),
])
def test_mixture_labels_are_modes(name, centers, std):
  src = toy.make_source(name, 'train', num_examples=5000)
  assert src.info.num_classes == len(centers)
  dist = np.linalg.norm(src.x - centers[src.y], axis=1)
  assert np.mean(dist < 3 * std) > 0.98
  assert set(np.unique(src.y)) == set(range(len(centers)))
