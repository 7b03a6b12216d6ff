"""Every flow layer: inverse(forward(x)) == x, the inverse's logdet is minus the forward's,
and the logdet equals log|det jax.jacfwd| of the flattened map (brute force)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.flows.bijector import Chain, Flatten
from gdm.flows.coupling import Coupling, Rescale, make_mask
from gdm.flows.glow import ActNorm, Invertible1x1Conv
from gdm.flows.maf import MAF
from gdm.flows.squeeze import MultiScale, Squeeze, squeeze, unsqueeze
from tests.helpers import random_like

KEY = jax.random.key(0, impl='rbg')
IMG = (2, 4, 4, 2)
VEC = (3, 4)


def params_for(module, x, seed=0):
  shapes = jax.eval_shape(module.init, KEY, x)
  return random_like(shapes, np.random.default_rng(seed))


def check_bijector(module, x, params=None, atol=1e-4):
  """One compiled function per layer: the round trip on the batch and the brute-force
  Jacobian of the first example."""
  params = params_for(module, x) if params is None else params

  @jax.jit
  def run(v):
    y, logdet = module.apply(params, v)
    back, logdet_inv = module.apply(params, y, inverse=True)
    flat = lambda u: module.apply(params, u.reshape(v[:1].shape))[0].reshape(-1)
    return y, logdet, back, logdet_inv, jax.jacfwd(flat)(v[:1].reshape(-1))

  y, logdet, x_back, logdet_inv, jac = run(x)
  np.testing.assert_allclose(x_back, x, atol=atol, rtol=1e-4)
  np.testing.assert_allclose(logdet_inv, -logdet, atol=atol, rtol=1e-4)
  sign, brute = np.linalg.slogdet(np.asarray(jac, np.float64))
  assert sign != 0
  np.testing.assert_allclose(logdet[0], brute, atol=5e-4, rtol=1e-4)
  return params, y


def data(shape, seed=1):
  return jnp.asarray(np.random.default_rng(seed).normal(size=shape), jnp.float32)


@pytest.mark.parametrize('layer, shape', [
    (Coupling('checkerboard', 0, 'tanh', channels=4, num_blocks=1), IMG),
    (Coupling('channel', 1, 'sigmoid', channels=4), IMG),
    (Coupling('checkerboard', 1, 'additive', channels=4), IMG),
    (Coupling('alternate', 0, 'tanh', hidden=(8,)), VEC),
    (Coupling('alternate', 1, 'additive', hidden=(8,)), VEC),
    (Coupling('channel', 0, 'sigmoid', hidden=(8,)), VEC),
    (Rescale(), VEC),
    (ActNorm(), IMG),
    (Invertible1x1Conv(lu=True, seed=3), IMG),
    (Invertible1x1Conv(lu=False, seed=3), IMG),
    (Invertible1x1Conv(lu=True), VEC),
    (Squeeze(), IMG),
    (Flatten(IMG[1:]), IMG),
    (MAF(hidden=(8,)), VEC),
    (MAF(hidden=(8,), order='reverse', iaf=True), VEC),
], ids=lambda v: type(v).__name__ if not isinstance(v, tuple) else str(v))
def test_layer_is_a_bijection_with_the_jacobian_logdet(layer, shape):
  check_bijector(layer, data(shape))


def test_multiscale_chain_and_its_latent_size():
  levels = [Chain([Coupling('checkerboard', 0, 'tanh', channels=4), Squeeze(),
                   Coupling('channel', 0, 'tanh', channels=4)]),
            Chain([Squeeze(), ActNorm(), Invertible1x1Conv(), Coupling('channel', 1, 'sigmoid',
                                                                     channels=4)])]
  flow = MultiScale(levels, (True, True), IMG[1:])
  x = data(IMG)
  _, z = check_bijector(flow, x)
  assert z.shape == (2, 32)


def test_masks_split_the_input_in_halves():
  board = make_mask('checkerboard', (4, 4, 3), 0)
  assert board.shape == (4, 4, 1) and board.sum() == 8 and board[0, 0, 0] == 1
  np.testing.assert_array_equal(make_mask('checkerboard', (4, 4, 3), 1), 1 - board)
  np.testing.assert_array_equal(make_mask('channel', (2, 2, 4), 0), [1, 1, 0, 0])
  np.testing.assert_array_equal(make_mask('alternate', (5,), 1), [0, 1, 0, 1, 0])


def test_squeeze_moves_each_2x2_patch_into_channels():
  x = jnp.arange(2 * 4 * 4 * 3, dtype=jnp.float32).reshape(2, 4, 4, 3)
  y = squeeze(x)
  assert y.shape == (2, 2, 2, 12)
  np.testing.assert_array_equal(y[1, 1, 0].reshape(2, 2, 3), x[1, 2:4, 0:2])
  np.testing.assert_array_equal(unsqueeze(y), x)


def test_actnorm_data_dependent_init_standardises_each_channel():
  rng = np.random.default_rng(0)
  x = jnp.asarray(rng.normal(loc=[3.0, -2.0], scale=[5.0, 0.1], size=(16, 3, 3, 2)),
                  jnp.float32)
  layer = ActNorm()
  params = layer.init(KEY, x)
  y, logdet = layer.apply(params, x)
  np.testing.assert_allclose(y.mean((0, 1, 2)), 0.0, atol=1e-5)
  np.testing.assert_allclose(y.std((0, 1, 2)), 1.0, atol=1e-4)
  np.testing.assert_allclose(logdet, -9 * np.log(np.asarray(x).std((0, 1, 2))).sum(),
                             rtol=1e-4)
