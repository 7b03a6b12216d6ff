"""pytorch-fid preprocessing (torch bilinear resize) and the end-to-end feature function."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.metrics import inception_features as feats
from gdm.metrics.inception_weights import expected_shapes, load_inception_params
from gdm.train.feature_extractors import inception_feature_fn
from tests.nn import inception_reference as ref


@pytest.mark.parametrize('in_hw, out_hw', [
    ((32, 32), (299, 299)),      # CIFAR-size upsampling, the common FID case
    ((64, 64), (29, 29)),        # downsampling by a non-integer factor
    ((300, 301), (299, 299)),    # slight downsampling: every output pixel interpolates
    ((20, 37), (29, 11)),        # non-square, up in H and down in W
    ((17, 17), (17, 17)),        # same size: exactly the identity
    ((1, 5), (4, 3)),            # single-row input: edge clamping
])
def test_resize_matches_torch_formula(in_hw, out_hw):
  x = np.random.default_rng(0).uniform(size=(2, 3, *in_hw))
  want = ref.resize_bilinear_torch(x, *out_hw).transpose(0, 2, 3, 1)
  got = feats.resize_bilinear(jnp.asarray(x.transpose(0, 2, 3, 1), jnp.float32), *out_hw)
  assert got.shape == (2, *out_hw, 3)
  np.testing.assert_allclose(np.asarray(got), want, atol=2e-6)
  if in_hw == out_hw:
    np.testing.assert_array_equal(np.asarray(got), x.transpose(0, 2, 3, 1).astype(np.float32))


def test_why_not_jax_image_resize():
  """jax.image.resize agrees with torch when upsampling but antialiases when downsampling."""
  x = jnp.asarray(np.random.default_rng(1).uniform(size=(1, 64, 64, 3)), jnp.float32)
  up = jax.image.resize(x[:, :32, :32], (1, 299, 299, 3), 'bilinear')
  np.testing.assert_allclose(up, feats.resize_bilinear(x[:, :32, :32], 299, 299), atol=1e-5)
  down = jax.image.resize(x, (1, 29, 29, 3), 'bilinear')
  assert np.abs(down - feats.resize_bilinear(x, 29, 29)).max() > 1e-2


def test_preprocess_range_shape_and_gray():
  rng = np.random.default_rng(0)
  gray = rng.integers(0, 256, (2, 28, 28, 1), dtype=np.uint8)
  gray[0, 0, 0, 0], gray[1, 0, 0, 0] = 0, 255
  out = feats.preprocess(gray)
  assert out.shape == (2, 299, 299, 3) and out.dtype == jnp.float32
  assert float(out.min()) >= -1.0 and float(out.max()) <= 1.0
  # Gray images are fed as RGB with R = G = B, as PIL's convert('RGB') does in pytorch-fid.
  np.testing.assert_array_equal(out, feats.preprocess(np.repeat(gray, 3, axis=-1)))
  # 299x299 input: resize is the identity, so only x / 255 * 2 - 1 remains.
  full = rng.integers(0, 256, (1, 299, 299, 3), dtype=np.uint8)
  np.testing.assert_allclose(feats.preprocess(full), full / 255.0 * 2 - 1, atol=1e-6)


@pytest.mark.parametrize('images, match', [
    (np.zeros((2, 32, 32, 3), np.float32), 'uint8'),        # floats in [0, 1] or [-1, 1]
    (np.zeros((2, 32, 32, 3), np.int32), 'uint8'),
    (np.zeros((2, 3, 32, 32), np.uint8), 'NHWC'),           # NCHW batch
    (np.zeros((32, 32, 3), np.uint8), 'NHWC'),              # a single unbatched image
    (np.zeros((2, 32, 32, 4), np.uint8), 'NHWC'),           # RGBA
])
def test_preprocess_rejects_bad_input(images, match):
  with pytest.raises(ValueError, match=match):
    feats.preprocess(images)
  with pytest.raises(ValueError, match=match):
    inception_feature_fn({})(images)


def test_feature_fn_end_to_end_matches_numpy_reference(tmp_path):
  """The one full 299x299 forward: synthetic torch-layout weights -> .npz -> loader ->
  jitted features on uint8 32x32 images, against the numpy transcription of pytorch-fid
  (ToTensor, F.interpolate bilinear, 2x - 1, FIDInceptionV3)."""
  state = ref.random_state(expected_shapes(), seed=3)
  np.savez(tmp_path / 'w.npz', **state)
  feature_fn = inception_feature_fn(load_inception_params(str(tmp_path / 'w.npz')))
  images = np.random.default_rng(4).integers(0, 256, (2, 32, 32, 3), dtype=np.uint8)
  pool, logits = feature_fn(images)
  assert pool.shape == (2, 2048) and logits.shape == (2, 1008)
  assert pool.dtype == logits.dtype == jnp.float32
  assert np.isfinite(pool).all() and np.isfinite(logits).all()

  x = ref.resize_bilinear_torch(images.transpose(0, 3, 1, 2) / 255.0, 299, 299) * 2 - 1
  want_pool, want_logits = ref.forward(state, x)
  for got, want in ((pool, want_pool), (logits, want_logits)):
    # Observed max error ~2e-5 on values up to ~25 (float32 vs the float64 reference).
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-4,
                               atol=1e-5 * np.abs(want).max())
