"""Progressive GAN layers against NumPy: equalized learning rate (the runtime He scaling and
what it does to an Adam step), pixel norm, minibatch standard deviation."""
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from gdm.nn.equalized import HE_GAIN, EqualizedConv, EqualizedDense
from gdm.nn.minibatch_stddev import minibatch_stddev
from gdm.nn.pixel_norm import pixel_norm

KEY = jax.random.key(0, impl='rbg')


def test_equalized_dense_scales_its_n01_weights_by_he_at_runtime():
  x = np.random.default_rng(0).normal(size=(3, 400)).astype(np.float32)
  layer = EqualizedDense(300, gain=HE_GAIN)
  v = layer.init(KEY, x)
  w, b = np.asarray(v['params']['kernel']), np.asarray(v['params']['bias'])
  assert abs(w.std() - 1.0) < 0.01 and abs(w.mean()) < 0.01 and not b.any()
  b = np.random.default_rng(1).normal(size=b.shape).astype(np.float32)
  out = layer.apply({'params': {'kernel': w, 'bias': b}}, x)
  np.testing.assert_allclose(out, x @ (w * np.sqrt(2.0 / 400)) + b, rtol=1e-4, atol=1e-5)
  out1 = EqualizedDense(300, gain=1.0).apply({'params': {'kernel': w, 'bias': b}}, x)
  np.testing.assert_allclose(out1, x @ (w / np.sqrt(400)) + b, rtol=1e-4, atol=1e-5)


def _conv_numpy(x, w):
  """'SAME' stride-1 cross-correlation, NHWC x HWIO, by loops."""
  k = w.shape[0]
  pad = np.pad(x, ((0, 0), (k // 2, k // 2), (k // 2, k // 2), (0, 0)))
  out = np.zeros(x.shape[:3] + (w.shape[-1],))
  for i in range(x.shape[1]):
    for j in range(x.shape[2]):
      out[:, i, j] = np.einsum('bhwc,hwco->bo', pad[:, i:i + k, j:j + k], w)
  return out


def test_equalized_conv_uses_the_fan_in_of_its_kernel():
  rng = np.random.default_rng(0)
  x = rng.normal(size=(2, 5, 5, 3)).astype(np.float32)
  w = rng.normal(size=(3, 3, 3, 4)).astype(np.float32)
  b = rng.normal(size=(4,)).astype(np.float32)
  out = EqualizedConv(4, 3, gain=HE_GAIN).apply({'params': {'kernel': w, 'bias': b}}, x)
  np.testing.assert_allclose(out, _conv_numpy(x, w * np.sqrt(2.0 / 27)) + b, rtol=1e-4,
                             atol=1e-4)


@pytest.mark.parametrize('fan_in', [4, 400])
def test_adam_moves_every_layer_at_the_same_rate_relative_to_its_weights(fan_in):
  """The point of the scaling: Adam's first step moves each stored N(0, 1) weight by about
  lr, so the effective weights (std c = sqrt(2 / fan_in)) change by lr * c: the same
  relative change lr whatever the fan-in."""
  lr = 1e-3
  x = jnp.ones((8, fan_in))
  layer = EqualizedDense(16, gain=HE_GAIN)
  params = layer.init(KEY, x)['params']
  grads = jax.grad(lambda p: jnp.sum(layer.apply({'params': p}, x) ** 2))(params)
  opt = optax.adam(lr)
  updates, _ = opt.update(grads, opt.init(params))
  c = np.sqrt(2.0 / fan_in)
  effective_change = np.abs(np.asarray(updates['kernel'])) * c
  effective_std = np.asarray(params['kernel']).std() * c
  np.testing.assert_allclose(np.median(effective_change) / effective_std, lr, rtol=0.2)


def test_pixel_norm_gives_each_pixel_unit_mean_square():
  x = np.random.default_rng(0).normal(size=(2, 3, 3, 8)).astype(np.float32) * 5
  want = x / np.sqrt(np.mean(x ** 2, -1, keepdims=True) + 1e-8)
  np.testing.assert_allclose(pixel_norm(jnp.asarray(x)), want, rtol=1e-5)
  np.testing.assert_allclose(pixel_norm(jnp.asarray(x[:, 0, 0])), want[:, 0, 0], rtol=1e-5)


def _mbstd_numpy(x, group):
  b = x.shape[0]
  g = b if group == 0 else min(group, b)
  out = np.zeros(b)
  for i in range(b):    # members of i's group: the examples congruent to i mod b / g
    members = x[[j for j in range(b) if j % (b // g) == i % (b // g)]]
    std = np.sqrt(((members - members.mean(0)) ** 2).mean(0) + 1e-8)
    out[i] = std.mean()
  return out


@pytest.mark.parametrize('group', [4, 2, 0])
def test_minibatch_stddev_appends_the_group_statistic(group):
  x = np.random.default_rng(0).normal(size=(8, 3, 3, 5)).astype(np.float32)
  out = np.asarray(minibatch_stddev(jnp.asarray(x), group))
  assert out.shape == (8, 3, 3, 6)
  np.testing.assert_array_equal(out[..., :5], x)
  np.testing.assert_allclose(out[..., 5], np.broadcast_to(
      _mbstd_numpy(x, group)[:, None, None], (8, 3, 3)), rtol=1e-5)


def test_minibatch_stddev_falls_back_to_a_group_that_divides_the_batch():
  x = np.random.default_rng(1).normal(size=(6, 2, 2, 3)).astype(np.float32)
  np.testing.assert_array_equal(minibatch_stddev(jnp.asarray(x), 4),
                                minibatch_stddev(jnp.asarray(x), 3))
