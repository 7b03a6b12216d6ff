"""Causality of every autoregressive layer and network, by gradients (jax.jacfwd): the output
for subpixel (pixel i, channel c) has zero derivative with respect to every input subpixel
at or after (i, c) in raster-then-channel order; PixelCNN++'s per-pixel output ignores the
pixel itself and every later one, and its channel means follow R < G < B. Where the design
promises it (one masked layer; Gated PixelCNN has no blind spot), the dependence set is
checked to be exactly the allowed one, so a test that masks everything cannot pass."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.autoregressive import common
from gdm.models.autoregressive import nets
from gdm.models.autoregressive.config import AutoregressiveConfig
from gdm.nn.masked_conv import MaskedConv
from gdm.nn.nade import NADE
from gdm.nn.pixelcnn_pp import PixelCNNPP
from gdm.objectives import logistic_mixture
from gdm.utils import schema
from tests.helpers import random_like

H, W, C = 4, 4, 3


def _params(module, *args):
  return random_like(jax.eval_shape(module.init, jax.random.key(0), *args),
                     np.random.default_rng(0))


def _order(h, w, c):
  """Raster-then-channel index of every subpixel, [H, W, C]."""
  return np.arange(h * w * c).reshape(h, w, c)


def _subpixel_dependence(out_fn, x):
  """out_fn(x [H, W, C]) -> [H, W, C, P]; returns [H*W*C out, H*W*C in] bool, the union over
  16 random inputs shaped like x (one input can hide a path behind ReLUs at zero)."""
  xs = jnp.asarray(np.random.default_rng(7).uniform(-2, 2, size=(16,) + x.shape), x.dtype)
  jac = np.abs(np.asarray(jax.jit(jax.vmap(jax.jacfwd(out_fn)))(xs))).max(0)  # [H, W, C, P, H, W, C]
  n = x.size
  return jac.reshape(n, -1, n).max(1) > 0


def _strictly_before(n):
  idx = np.arange(n)
  return idx[None, :] < idx[:, None]                   # [out, in]: in before out


X = jnp.asarray(np.random.default_rng(1).uniform(-1, 1, size=(H, W, C)), jnp.float32)


@pytest.mark.parametrize('mask_type', ['A', 'B'])
def test_single_masked_conv_sees_exactly_its_mask(mask_type):
  conv = MaskedConv(2 * C, (3, 3), mask_type, C)
  params = _params(conv, X[None])
  dep = _subpixel_dependence(
      lambda v: conv.apply(params, v[None])[0].reshape(H, W, C, 2), X)
  order = _order(H, W, C)
  want = np.zeros_like(dep)
  for (r, c, ch), o in np.ndenumerate(order):
    for (r2, c2, ch2), o2 in np.ndenumerate(order):
      spatial = (r2 == r - 1 and abs(c2 - c) <= 1) or (r2 == r and c2 == c - 1)
      center = r2 == r and c2 == c and (ch2 < ch if mask_type == 'A' else ch2 <= ch)
      want[o, o2] = spatial or center
  np.testing.assert_array_equal(dep, want)


def _config(**model) -> AutoregressiveConfig:
  return schema.parse(AutoregressiveConfig, common.model_config(**model))


def _family_net(**model):
  """The network as make() builds it (gdm.models.autoregressive.nets), with its params."""
  net = nets.build(_config(**model), (H, W, C), 2)
  cond = jnp.ones((1, 2))
  params = _params(net.module, X[None], cond)['params']
  return lambda v: net.apply(params, v[None], cond)[0]


def test_pixelcnn_is_causal_with_channels_and_conditioning():
  dep = _subpixel_dependence(_family_net(net='pixelcnn', pixelcnn=dict(
      features=12, num_layers=2, first_kernel_size=3)), X)
  allowed = _strictly_before(X.size)
  assert not np.any(dep & ~allowed)
  order = _order(H, W, C)
  assert dep[order[1, 1, 2], order[1, 1, 0]] and dep[order[1, 1, 2], order[1, 1, 1]]
  assert dep[order[1, 1, 0], order[1, 0, 2]] and dep[order[2, 1, 0], order[0, 1, 1]]


def test_gated_pixelcnn_sees_every_earlier_subpixel():
  dep = _subpixel_dependence(_family_net(net='gated_pixelcnn', gated_pixelcnn=dict(
      features=12, num_layers=3, kernel_size=3, first_kernel_size=3, head_features=24)), X)
  # No blind spot: every earlier subpixel (within this 4x4 image) is seen, nothing else.
  missing = np.argwhere(_strictly_before(X.size) & ~dep)
  assert not np.any(dep & ~_strictly_before(X.size))
  assert missing.size == 0, missing


def test_made_and_nade_as_image_models_are_causal():
  for net_name, hidden in (('made', (96,)), ('nade', 96)):      # >= D - 1 units
    m = _config(net=net_name, **{net_name: dict(hidden=hidden, act='tanh')})
    net = nets.build(m, (H, W, C), 2)
    params = _params(net.module, X.reshape(1, -1), None)
    dep = _subpixel_dependence(lambda v: net.apply(params['params'], v[None], None)[0], X)
    np.testing.assert_array_equal(dep, _strictly_before(X.size))


def test_nade_matches_a_direct_loop():
  d, h = 5, 3
  x = jnp.asarray(np.random.default_rng(2).integers(0, 2, size=(2, d)), jnp.float32)
  nade = NADE(h, 1)
  p = _params(nade, x)['params']
  got = np.asarray(nade.apply({'params': p}, x)[..., 0])
  p, x = jax.tree.map(np.asarray, (p, x))
  for b in range(2):
    for i in range(d):
      hid = 1 / (1 + np.exp(-(p['c'] + p['w'][:i].T @ x[b, :i])))
      np.testing.assert_allclose(got[b, i], p['b'][i, 0] + hid @ p['v'][i, :, 0], rtol=1e-5,
                                 atol=1e-6)


def test_pixelcnn_pp_output_at_a_pixel_sees_only_earlier_pixels():
  h = w = 4
  x = jnp.asarray(np.random.default_rng(3).uniform(-1, 1, size=(h, w, C)), jnp.float32)
  net = PixelCNNPP(features=4, num_resnet=1, outputs=3, levels=2, dropout=0.0)
  cond = jnp.ones((1, 2))
  params = _params(net, x[None], cond)
  jac = np.abs(np.asarray(jax.jit(jax.jacfwd(lambda v: net.apply(params, v[None], cond)[0]))(x)))
  dep = jac.max(axis=(2, 5)).reshape(h * w, h * w) > 0
  allowed = _strictly_before(h * w)
  assert not np.any(dep & ~allowed)
  # The two streams, the strided levels and the shortcuts reach far: the pixel right above,
  # the one to the left, and the top-left corner from the bottom-right pixel.
  assert dep[3 * w + 3, 2 * w + 3] and dep[3 * w + 3, 3 * w + 2] and dep[h * w - 1, 0]


def test_logistic_mixture_means_follow_the_channel_order():
  k = 2
  out = jnp.asarray(np.random.default_rng(4).normal(size=(logistic_mixture.num_params(C, k),)),
                    jnp.float32)
  pix = jnp.asarray([0.1, -0.3, 0.5])

  def means(v):
    _, mu, _, coeffs = logistic_mixture.split(out, C, k)
    return logistic_mixture.conditioned_means(mu, coeffs, v)              # [C, K]

  dep = np.abs(np.asarray(jax.jit(jax.jacfwd(means))(pix))).max(1) > 0           # [C out, C in]
  np.testing.assert_array_equal(dep, _strictly_before(C))
