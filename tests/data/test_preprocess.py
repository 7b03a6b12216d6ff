import jax
import numpy as np
import pytest

from gdm.data import DatasetInfo, data_range, make_prepare, to_uint8
from gdm.data.config import DataConfig, PixelFormat

IMAGE = DatasetInfo('img', (4, 6, 3), 'image')
VECTOR = DatasetInfo('vec', (2,), 'vector')


def _config(**overrides):
  return DataConfig(**overrides)


def _batch(n=64):
  rng = np.random.default_rng(0)
  return {'x': rng.integers(0, 256, (n, *IMAGE.shape), dtype=np.uint8),
          'index': np.arange(n, dtype=np.int32), 'y': np.arange(n, dtype=np.int32)}


_JITTED = {}


def _prepare(config, batch, key=0, train=True, info=IMAGE):
  # One jitted function per config, so repeated calls in a test compile once.
  cache_key = (config, info)
  if cache_key not in _JITTED:
    _JITTED[cache_key] = jax.jit(make_prepare(config.pixels, info, config.random_flip),
                                 static_argnums=2)
  return jax.tree.map(np.asarray, _JITTED[cache_key](batch, jax.random.key(key), train))


@pytest.mark.parametrize('scale, lo, hi, rng', [
    ('minus_one_one', -1, 1, 2), ('zero_one', 0, 1, 1), ('none', 0, 255, 255)])
def test_scale_ranges_and_inverse(scale, lo, hi, rng):
  batch = _batch()
  batch['x'][0, 0, 0] = [0, 255, 0]
  config = _config(scale=scale)
  out = _prepare(config, batch)
  assert out['x'].dtype == np.float32
  assert out['x'].min() == pytest.approx(lo) and out['x'].max() == pytest.approx(hi)
  assert data_range(config, IMAGE) == rng
  np.testing.assert_array_equal(np.asarray(to_uint8(out['x'], config)), batch['x'])
  np.testing.assert_array_equal(out['y'], batch['y'])


@pytest.mark.parametrize('scale, to_pixels', [
    ('zero_one', lambda v: v * 256), ('minus_one_one', lambda v: (v + 1) * 128),
    ('none', lambda v: v)])
def test_dequantization_stays_in_pixel_bins(scale, to_pixels):
  batch = _batch(256)
  config = _config(scale=scale, dequantize=True)
  out = _prepare(config, batch)
  noise = to_pixels(out['x'].astype(np.float64)) - batch['x']
  assert noise.min() >= -1e-4 and noise.max() < 1 + 1e-4
  assert noise.mean() == pytest.approx(0.5, abs=0.01) and noise.std() == pytest.approx(
      (1 / 12) ** 0.5, abs=0.01)
  np.testing.assert_array_equal(np.asarray(to_uint8(out['x'], config)), batch['x'])
  assert not np.array_equal(out['x'], _prepare(config, batch, key=1)['x'])


def test_static_binarization_depends_only_on_index():
  config = _config(binarize='static')
  batch = _batch()
  a, b = _prepare(config, batch, key=0), _prepare(config, batch, key=7, train=False)
  assert set(np.unique(a['x'])) == {0.0, 1.0}
  np.testing.assert_array_equal(a['x'], b['x'])
  # Example 5 alone (as another process or batch would see it) gets the same bits.
  alone = _prepare(config, {k: v[5:6] for k, v in batch.items()}, key=3)
  np.testing.assert_array_equal(alone['x'][0], a['x'][5])
  # The mean matches the Bernoulli(x / 255) probabilities.
  assert a['x'].mean() == pytest.approx((batch['x'] / 255).mean(), abs=0.02)
  assert data_range(config, IMAGE) == 1


def test_dynamic_binarization_changes_with_key():
  config = _config(binarize='dynamic')
  batch = _batch()
  a, b = _prepare(config, batch, key=0), _prepare(config, batch, key=1)
  assert set(np.unique(a['x'])) == {0.0, 1.0}
  assert not np.array_equal(a['x'], b['x'])
  np.testing.assert_array_equal(a['x'], _prepare(config, batch, key=0)['x'])


def test_random_flip_only_in_training():
  config = _config(scale='none', random_flip=True)
  batch = _batch()
  out = _prepare(config, batch)
  flipped = np.all(out['x'] == batch['x'][:, :, ::-1], axis=(1, 2, 3))
  kept = np.all(out['x'] == batch['x'], axis=(1, 2, 3))
  assert np.all(flipped | kept) and 10 < flipped.sum() < 54
  np.testing.assert_array_equal(_prepare(config, batch, train=False)['x'], batch['x'])


def test_vectors_pass_through():
  config = _config(random_flip=True, dequantize=True)
  batch = {'x': np.random.default_rng(0).normal(size=(8, 2)).astype(np.float32)}
  np.testing.assert_array_equal(_prepare(config, batch, info=VECTOR)['x'], batch['x'])
  assert data_range(config, VECTOR) == 0.0


@pytest.mark.parametrize('field, value', [('scale', 'zero_to_one'), ('binarize', 'always')])
def test_bad_values_are_named(field, value):
  with pytest.raises(ValueError, match=f"'{value}' in data.{field}; choose one of"):
    PixelFormat(**{field: value})


def test_dequantize_with_binarize_is_an_error():
  with pytest.raises(ValueError, match='exclude'):
    PixelFormat(dequantize=True, binarize='static')
