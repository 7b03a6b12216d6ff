"""bits/dim reporting against hand computations."""
import math

import numpy as np
import pytest

from gdm.data.config import PixelFormat
from gdm.data.source import DatasetInfo
from gdm.metrics import bits_per_dim as likelihood

CIFAR = DatasetInfo('cifar10', (32, 32, 3), 'image', num_classes=10)
TOY = DatasetInfo('moons', (2,), 'vector')


def data(**kw):
  return PixelFormat(**kw)


def test_density_on_dequantized_pixels_moves_to_pixel_units():
  # x = u / 128 - 1 for u in [0, 256): density in x is 128^D times the density in u.
  offset = likelihood.pixel_offset(data(dequantize=True), CIFAR, 'density')
  assert offset == pytest.approx(3072 * math.log(128))
  # A uniform density on [-1, 1]^D (nll = -D log(1/2)) is exactly 8 bits per pixel.
  nll = np.array([-3072 * math.log(0.5)])
  np.testing.assert_allclose(likelihood.bits_per_dim(nll, 3072, offset), [8.0], rtol=1e-6)
  d01 = likelihood.pixel_offset(data(dequantize=True, scale='zero_one'), CIFAR, 'density')
  assert d01 == pytest.approx(3072 * math.log(256))


def test_discrete_needs_no_offset_and_density_needs_dequantization():
  assert likelihood.pixel_offset(data(), CIFAR, 'discrete') == 0.0
  assert likelihood.pixel_offset(data(), CIFAR, 'density') is None
  assert likelihood.pixel_offset(data(), TOY, 'density') is None
  out = likelihood.report(np.array([3072 * math.log(2) * 3.0]), CIFAR, 0.0)
  np.testing.assert_allclose(out['bpd'], [3.0])
  assert 'bpd' not in likelihood.report(np.array([1.0]), TOY, None)
  with pytest.raises(ValueError, match="'exact'"):
    likelihood.pixel_offset(data(), CIFAR, 'exact')
