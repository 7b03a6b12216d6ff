"""StyleGAN2's layers against direct NumPy computations: modulated / demodulated convolution
with per-example weights, the FIR resampling of upfirdn2d, minibatch standard deviation and
the equalized-learning-rate scaling."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.nn.equalized import EqualizedConv, EqualizedDense
from gdm.nn.minibatch_stddev import group_size_for, minibatch_stddev
from gdm.nn.modulated_conv import EPS, ModulatedConv
from gdm.nn.resample_filter import blur, upsample_2x

KEY = jax.random.key(0, impl='rbg')


def correlate(x, w, pad):
  """Direct 'same'-style cross-correlation: x [B, H, W, I] zero-padded by `pad`, w [k, k, I,
  O] or per example [B, k, k, I, O]."""
  b, h, wd, _ = x.shape
  k = w.shape[-3]
  w = np.broadcast_to(w, (b,) + w.shape[-4:])
  xp = np.pad(x, ((0, 0), pad, pad, (0, 0)))
  out_h, out_w = xp.shape[1] - k + 1, xp.shape[2] - k + 1
  out = np.zeros((b, out_h, out_w, w.shape[-1]))
  for i in range(out_h):
    for j in range(out_w):
      out[:, i, j] = np.einsum('bhwi,bhwio->bo', xp[:, i:i + k, j:j + k], w)
  return out


@pytest.mark.parametrize('demodulate', [True, False])
def test_modulated_conv_matches_per_example_weights(demodulate):
  rng = np.random.default_rng(0)
  x = rng.normal(size=(2, 5, 5, 3)).astype(np.float32)
  w = rng.normal(size=(2, 6)).astype(np.float32)
  layer = ModulatedConv(4, 3, demodulate=demodulate)
  params = layer.init(KEY, x, w)['params']
  # Random affine biases too, so that the style is not ~1.
  params = jax.tree.map(lambda v: jnp.asarray(rng.normal(size=v.shape), v.dtype), params)
  got = np.asarray(layer.apply({'params': params}, x, w))
  a = params['affine']
  style = w @ (np.asarray(a['kernel']) / math.sqrt(6)) + np.asarray(a['bias'])   # [B, I]
  weight = np.asarray(params['weight']) / math.sqrt(3 * 3 * 3)                   # [k, k, I, O]
  per_example = style[:, None, None, :, None] * weight[None]                     # eq. 1
  if demodulate:                                                                 # eq. 3
    per_example = per_example / np.sqrt(
        (per_example ** 2).sum(axis=(1, 2, 3), keepdims=True) + EPS)
  np.testing.assert_allclose(got, correlate(x, per_example, (1, 1)), rtol=1e-4, atol=1e-4)


def test_demodulation_gives_unit_variance_outputs():
  """The paper's argument: i.i.d. unit-variance inputs give unit-variance outputs."""
  rng = np.random.default_rng(1)
  x = rng.normal(size=(4, 32, 32, 8)).astype(np.float32)
  w = rng.normal(size=(4, 6)).astype(np.float32) * 3.0
  layer = ModulatedConv(16, 3)
  params = layer.init(KEY, x, w)['params']
  y = np.asarray(layer.apply({'params': params}, x, w))[:, 1:-1, 1:-1]   # off the border
  np.testing.assert_allclose(y.std(axis=(1, 2)), 1.0, atol=0.1)


def upfirdn_up(x):
  """The official upsample_2d in NumPy: zeros after every pixel, pad (2, 1), 4x4 filter."""
  b, h, w, c = x.shape
  up = np.zeros((b, 2 * h, 2 * w, c))
  up[:, ::2, ::2] = x
  k = np.outer([1, 3, 3, 1], [1, 3, 3, 1]) / 64.0 * 4
  return np.stack([correlate(up[..., i:i + 1], k[:, :, None, None], (2, 1))[..., 0]
                   for i in range(c)], -1)


def test_fir_upsampling_matches_upfirdn_and_keeps_constants():
  rng = np.random.default_rng(2)
  x = rng.normal(size=(2, 4, 4, 3)).astype(np.float32)
  np.testing.assert_allclose(np.asarray(upsample_2x(jnp.asarray(x))), upfirdn_up(x),
                             rtol=1e-5, atol=1e-5)
  const = np.asarray(upsample_2x(jnp.full((1, 4, 4, 1), 2.0)))
  np.testing.assert_allclose(const[:, 2:-2, 2:-2], 2.0, rtol=1e-6)


def test_blur_then_stride_two_halves_the_size_with_the_binomial_filter():
  rng = np.random.default_rng(3)
  x = rng.normal(size=(1, 8, 8, 2)).astype(np.float32)
  got = np.asarray(blur(jnp.asarray(x), (1, 1)))
  k = np.outer([1, 3, 3, 1], [1, 3, 3, 1]) / 64.0
  want = np.stack([correlate(x[..., i:i + 1], k[:, :, None, None], (1, 1))[..., 0]
                   for i in range(2)], -1)
  np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
  assert got[:, ::2, ::2].shape == (1, 4, 4, 2)      # the 1x1 stride-2 skip conv's grid


def test_minibatch_stddev_per_group():
  rng = np.random.default_rng(4)
  x = rng.normal(size=(8, 2, 2, 6)).astype(np.float32)
  out = np.asarray(minibatch_stddev(jnp.asarray(x), group_size=4, num_features=2))
  assert out.shape == (8, 2, 2, 8)
  np.testing.assert_array_equal(out[..., :6], x)
  groups = x.reshape(4, 2, 2, 2, 2, 3)                # [G, M, H, W, n, c]: member g*M + m
  std = np.sqrt(groups.var(axis=0) + 1e-8).mean(axis=(1, 2, 4))    # [M, n]
  for i in range(8):
    np.testing.assert_allclose(out[i, :, :, 6:], np.broadcast_to(std[i % 2], (2, 2, 2)),
                               rtol=1e-5)
  assert group_size_for(6, 4) == 3 and group_size_for(2, 4) == 2 and group_size_for(7, 4) == 1


def test_equalized_layers_scale_unit_weights_by_he_constant():
  x = jnp.ones((1, 3, 3, 5))
  conv = EqualizedConv(2, 3, padding='VALID')
  p = conv.init(KEY, x)['params']
  np.testing.assert_allclose(np.asarray(conv.apply({'params': p}, x))[0, 0, 0],
                             np.asarray(p['kernel']).sum(axis=(0, 1, 2)) / math.sqrt(45),
                             rtol=1e-5)
  dense = EqualizedDense(3, lr_mul=0.01, bias_init=1.0)
  p = dense.init(KEY, jnp.ones((1, 4)))['params']
  assert 50 < np.asarray(p['kernel']).std() < 200     # stored N(0, 1 / lr_mul^2)
  want = np.ones(4) @ np.asarray(p['kernel']) * 0.01 / 2 + np.asarray(p['bias']) * 0.01
  np.testing.assert_allclose(np.asarray(dense.apply({'params': p}, jnp.ones((1, 4))))[0], want,
                             rtol=1e-5)
  np.testing.assert_allclose(np.asarray(p['bias']) * 0.01, 1.0)
