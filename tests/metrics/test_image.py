"""Tests for gdm.metrics.image against scikit-image's reference implementations."""
import jax.numpy as jnp
import numpy as np
import pytest
from skimage import metrics as skm

from gdm.metrics import image


@pytest.mark.parametrize('dtype, max_val', [(np.uint8, 255.0), (np.float32, 1.0)])
def test_matches_skimage_per_image(dtype, max_val):
  rng = np.random.default_rng(0)
  if dtype == np.uint8:
    a = rng.integers(0, 256, (4, 16, 12, 3), dtype=np.uint8)
    b = rng.integers(0, 256, (4, 16, 12, 3), dtype=np.uint8)
  else:
    a = rng.uniform(size=(4, 16, 12, 3)).astype(np.float32)
    b = np.clip(a + 0.05 * rng.normal(size=a.shape), 0, 1).astype(np.float32)
  got_mse = np.asarray(image.mse(a, b))
  got_psnr = np.asarray(image.psnr(a, b, max_val))
  assert got_mse.dtype == np.float32 and got_psnr.dtype == np.float32
  for i in range(len(a)):
    np.testing.assert_allclose(got_mse[i], skm.mean_squared_error(a[i], b[i]), rtol=1e-5)
    np.testing.assert_allclose(
        got_psnr[i], skm.peak_signal_noise_ratio(a[i], b[i], data_range=max_val), rtol=1e-5)


def test_uint8_does_not_wrap_around():
  a = np.zeros((1, 2, 2, 1), np.uint8)
  b = np.full((1, 2, 2, 1), 255, np.uint8)
  assert float(image.mse(a, b)[0]) == 255.0 ** 2
  assert float(image.psnr(a, b, 255.0)[0]) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize('shape, out', [((8, 8, 3), ()), ((5, 8, 8, 1), (5,)),
                                        ((2, 3, 8, 8, 3), (2, 3))])
def test_batch_shapes(shape, out):
  a = jnp.ones(shape)
  assert image.mse(a, 0.5 * a).shape == out
  assert image.psnr(a, 0.5 * a, 1.0).shape == out


def test_identical_images_give_inf():
  a = np.random.default_rng(1).uniform(size=(3, 8, 8, 3))
  b = a.copy()
  b[1] += 0.1
  p = np.asarray(image.psnr(a, b, 1.0))
  assert np.isposinf(p[0]) and np.isposinf(p[2]) and np.isfinite(p[1])
  assert np.all(np.asarray(image.mse(a, a)) == 0)


def test_a_nan_error_gives_nan_not_a_perfect_score():
  a = np.random.default_rng(1).uniform(size=(3, 8, 8, 3)).astype(np.float32)
  b = a.copy()
  b[0, 0, 0, 0] = np.nan          # a diverged model's output
  b[2] += 0.1
  p = np.asarray(image.psnr(b, a, 1.0))
  assert np.isnan(p[0]) and np.isposinf(p[1]) and np.isfinite(p[2])


@pytest.mark.parametrize('shape, max_val', [((3, 16, 16, 1), 1.0), ((2, 24, 19, 3), 255.0),
                                            ((1, 11, 11, 3), 2.0)])
def test_ssim_matches_scikit_image(shape, max_val):
  from skimage.metrics import structural_similarity
  rng = np.random.default_rng(0)
  a = rng.uniform(0, max_val, size=shape)
  b = np.clip(a + rng.normal(0, 0.2 * max_val, size=shape), 0, max_val)
  got = np.asarray(image.ssim(a, b, max_val))
  want = [structural_similarity(a[i], b[i], gaussian_weights=True, sigma=1.5,
                                use_sample_covariance=False, data_range=max_val,
                                channel_axis=-1) for i in range(shape[0])]
  np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
  np.testing.assert_allclose(image.ssim(a, a, max_val), 1.0, rtol=1e-6)


@pytest.mark.parametrize('offset, amp, max_val', [(0.5, 0.01, 1.0), (0.9, 0.003, 1.0),
                                                  (200.0, 1.0, 255.0)])
def test_ssim_of_smooth_images_in_float32_matches_float64(offset, amp, max_val):
  """Small variations on a large level: E[x^2] - mu^2 in float32 was off by up to 3e-5
  here; summing deviations from the window means agrees to float32 rounding."""
  from scipy.ndimage import gaussian_filter
  from skimage.metrics import structural_similarity
  rng = np.random.default_rng(1)

  def smooth(shape):
    x = gaussian_filter(rng.normal(size=shape), sigma=(0, 3, 3, 0))
    return x / x.std()

  a = (offset + amp * smooth((6, 16, 16, 3))).astype(np.float32)
  b = (a + 0.3 * amp * smooth(a.shape)).astype(np.float32)
  got = np.asarray(image.ssim(a, b, max_val))
  want = [structural_similarity(a[i].astype(np.float64), b[i].astype(np.float64),
                                gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                data_range=max_val, channel_axis=-1) for i in range(len(a))]
  np.testing.assert_allclose(got, want, rtol=0, atol=1.5e-6)


def test_ssim_rejects_images_smaller_than_the_window():
  with pytest.raises(ValueError, match='at least 11x11 pixels .* got 8x8'):
    image.ssim(np.zeros((1, 8, 8, 1)), np.zeros((1, 8, 8, 1)), 1.0)
