"""Autoencoders: shapes, losses against hand (numpy) computations, denoising, greedy stages."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.data.source import DatasetInfo
from gdm.models import autoencoder
from gdm.models.autoencoder import nets
from gdm.objectives import corruption as corruption_lib

from tests.models.ae_reference import (
    MOONS, DIGITS, PIXELS, KEY, rbg, mlp_config, conv_config, stacked_config, moons_batch,
    digits_batch, init, loss_of, typed, apply_fn, _np, np_mlp_reconstruct,
    np_stacked_reconstruct,
    np_sum_sq)


# ---------------------------------------------------------------- shapes

def test_mlp_param_shapes():
  model = autoencoder.FAMILY.model(mlp_config(), MOONS)
  params, model_state = jax.eval_shape(model.init, KEY, moons_batch())
  assert model_state == {}
  assert [p.name for p in model.players] == ['model']
  shapes = jax.tree.map(lambda a: a.shape, params)
  assert shapes == {'model': {
      'encoder': {'dense0': {'kernel': (2, 16), 'bias': (16,)},
                  'dense1': {'kernel': (16, 16), 'bias': (16,)},
                  'dense2': {'kernel': (16, 1), 'bias': (1,)}},
      'decoder': {'dense0': {'kernel': (1, 16), 'bias': (16,)},
                  'dense1': {'kernel': (16, 16), 'bias': (16,)},
                  'dense2': {'kernel': (16, 2), 'bias': (2,)}}}}
  assert all(a.dtype == jnp.float32 for a in jax.tree.leaves(params))


def test_conv_param_shapes():
  model = autoencoder.FAMILY.model(conv_config(), DIGITS)
  params, _ = jax.eval_shape(model.init, KEY, digits_batch())
  assert all(a.dtype == jnp.float32 for a in jax.tree.leaves(params))
  shapes = jax.tree.map(lambda a: a.shape, params['model'])
  assert shapes['encoder'] == {'conv0': {'kernel': (4, 4, 1, 8), 'bias': (8,)},
                               'conv1': {'kernel': (4, 4, 8, 16), 'bias': (16,)},
                               'out': {'kernel': (4 * 4 * 16, 16), 'bias': (16,)}}
  assert shapes['decoder'] == {'in': {'kernel': (16, 4 * 4 * 16), 'bias': (256,)},
                               'deconv0': {'kernel': (4, 4, 16, 8), 'bias': (8,)},
                               'deconv1': {'kernel': (4, 4, 8, 8), 'bias': (8,)},
                               'out': {'kernel': (3, 3, 8, 1), 'bias': (1,)}}


def test_stacked_param_shapes():
  model = autoencoder.FAMILY.model(stacked_config(), MOONS)
  params, _ = jax.eval_shape(model.init, KEY, moons_batch())
  assert [p.name for p in model.players] == ['layer0', 'layer1', 'layer2']
  shapes = jax.tree.map(lambda a: a.shape, params)
  ins, outs = (2, 16, 16), (16, 16, 1)
  for i in range(3):
    assert shapes[f'layer{i}'] == {
        'encoder': {'Dense_0': {'kernel': (ins[i], outs[i]), 'bias': (outs[i],)}},
        'decoder': {'Dense_0': {'kernel': (outs[i], ins[i]), 'bias': (ins[i],)}}}


@pytest.mark.parametrize('size', [8, 16, 28, 32, 64])
@pytest.mark.parametrize('channels_in', [1, 3])
def test_conv_output_shape_equals_input(size, channels_in):
  c = conv_config()
  info = DatasetInfo('img', (size, size, channels_in), 'image')
  (layer,) = nets.build_layers(typed(c).model, info, jnp.float32)
  x = jax.ShapeDtypeStruct((3, size, size, channels_in), jnp.float32)
  out = jax.eval_shape(lambda x: layer.apply(layer.init(KEY, x), x), x)
  assert out.shape == (3, size, size, channels_in)
  code = jax.eval_shape(lambda x: layer.apply(layer.init(KEY, x), x, method='encode'), x)
  assert code.shape == (3, c.model.latent_dim)


def test_conv_size_not_divisible_raises():
  c = conv_config(channels=(8, 16, 32))          # needs a multiple of 8
  with pytest.raises(ValueError, match=r'image size 12 is not divisible by 2\*\*3'):
    autoencoder.FAMILY.model(c, DatasetInfo('img', (12, 12, 1), 'image'))


def test_real_init():
  model = autoencoder.FAMILY.model(stacked_config(hidden=(8,)), MOONS)
  batch = moons_batch()
  params, ms = jax.jit(model.init)(KEY, batch)
  assert ms == {}
  got_shapes = jax.tree.map(lambda a: (a.shape, a.dtype), params)
  assert got_shapes == jax.tree.map(lambda a: (a.shape, a.dtype),
                                     jax.eval_shape(model.init, KEY, batch)[0])
  leaves = jax.tree.leaves(params)
  assert all(a.dtype == jnp.float32 and np.all(np.isfinite(a)) for a in leaves)
  for name in ('layer0', 'layer1'):
    dense = params[name]['encoder']['Dense_0']
    assert np.asarray(dense['kernel']).std() > 0                  # random kernels
    np.testing.assert_array_equal(dense['bias'], 0)               # zero biases
  other, _ = jax.jit(model.init)(rbg(1), batch)
  assert not np.allclose(other['layer0']['encoder']['Dense_0']['kernel'],
                         params['layer0']['encoder']['Dense_0']['kernel'])


# ---------------------------------------------------------------- losses

def test_mlp_loss_matches_numpy():
  model = autoencoder.FAMILY.model(mlp_config(), MOONS)
  batch = moons_batch(n=16)
  params, _ = init(model, batch)
  loss, (metrics, ms) = loss_of(model, params, batch, KEY)
  x = _np(batch['x'])
  per = np_sum_sq(np_mlp_reconstruct(jax.tree.map(_np, params['model']), x), x)
  np.testing.assert_allclose(loss, per.mean(), rtol=1e-5)
  np.testing.assert_allclose(metrics['mse'], per.mean() / 2, rtol=1e-5)
  assert ms == {} and loss.dtype == jnp.float32


def test_conv_loss_matches_module_apply():
  c = conv_config()
  model = autoencoder.FAMILY.model(c, DIGITS)
  batch = digits_batch()
  params, _ = init(model, batch)
  (layer,) = nets.build_layers(typed(c).model, DIGITS, jnp.float32)
  p, x = params['model'], batch['x']
  recon = apply_fn(layer, 'decode')(p, apply_fn(layer, 'encode')(p, x))
  per = np_sum_sq(recon, x)
  loss, (metrics, _) = loss_of(model, params, batch, KEY)
  np.testing.assert_allclose(loss, per.mean(), rtol=1e-5)
  np.testing.assert_allclose(metrics['mse'], per.mean() / (16 * 16), rtol=1e-5)


def test_bce_loss_matches_numpy():
  c = conv_config(loss='bce')
  c.data.scale = 'zero_one'
  model = autoencoder.FAMILY.model(c, DIGITS)
  batch = {'x': (digits_batch()['x'] + 1) / 2}
  params, _ = init(model, batch)
  (layer,) = nets.build_layers(typed(c).model, DIGITS, jnp.float32)
  logits = _np(apply_fn(layer)(params['model'], batch['x']))
  x = _np(batch['x'])
  p = 1 / (1 + np.exp(-logits))
  per = -(x * np.log(p) + (1 - x) * np.log(1 - p)).reshape(len(x), -1).sum(1)
  loss, (metrics, _) = loss_of(model, params, batch, KEY)
  np.testing.assert_allclose(loss, per.mean(), rtol=1e-5)
  np.testing.assert_allclose(metrics['mse'], np_sum_sq(p, x).mean() / 256, rtol=1e-5)


@pytest.mark.parametrize('kind', ['mlp', 'conv'])
def test_denoising_loss_corrupts_input_not_target(kind):
  if kind == 'mlp':
    c, info, batch = mlp_config(corruption='masking', noise_level=0.5), MOONS, moons_batch(64)
    low = 0.0                               # vectors: masking writes 0
  else:
    c, info, batch = conv_config(corruption='masking', noise_level=0.5), DIGITS, digits_batch()
    low = -1.0                              # images in [-1, 1]: masking writes -1
  model = autoencoder.FAMILY.model(c, info)
  params, _ = init(model, batch)
  # Larger weights than at init, so that the reconstruction depends visibly on the input.
  params = jax.tree.map(lambda a: 1.8 * a, params)
  (layer,) = nets.build_layers(typed(c).model, info, jnp.float32)
  fwd = apply_fn(layer)
  x = batch['x']
  flat = (lambda a: a.reshape(a.shape[0], -1)) if kind == 'mlp' else (lambda a: a)

  def rec(inp):
    return np.asarray(fwd(params['model'], flat(inp))).reshape(x.shape)

  key = rbg(7)
  noisy = jax.jit(lambda x, k: corruption_lib.corrupt(x, k, 'masking', 0.5, low, 1.0))(x, key)
  frac = float(np.mean(np.asarray(noisy) == low))
  assert 0.25 < frac < 0.75
  assert np.std(rec(x)) > 0.1
  want = np_sum_sq(rec(noisy), x).mean()
  loss, _ = loss_of(model, params, batch, key)
  np.testing.assert_allclose(loss, want, rtol=1e-5)
  # Not the clean input, not the corrupted target, and a new key gives a new corruption.
  assert not np.isclose(loss, np_sum_sq(rec(x), x).mean(), rtol=1e-3)
  assert not np.isclose(loss, np_sum_sq(rec(noisy), noisy).mean(), rtol=1e-3)
  other, _ = loss_of(model, params, batch, rbg(8))
  assert not np.isclose(other, loss, rtol=1e-4)
  if kind == 'mlp':
    return
  # Evaluation reports the denoising error as well.
  out = jax.jit(model.evaluate)(params, {}, batch, key)
  np.testing.assert_allclose(out['denoise_mse'], np_sum_sq(rec(noisy), x) / np.prod(x.shape[1:]),
                             rtol=1e-5)
  assert set(out) == {'loss', 'mse', 'psnr', 'denoise_mse', 'denoise_psnr', 'noisy_psnr'}
  assert all(v.shape == (len(x),) for v in out.values())


# ---------------------------------------------------------------- evaluate / sample / visualize

@pytest.mark.parametrize('kind', ['mlp', 'conv', 'stacked'])
def test_evaluate_per_example_and_mse(kind):
  if kind == 'conv':
    c, info, batch = conv_config(), DIGITS, digits_batch(n=5)
  else:
    c, info, batch = (stacked_config() if kind == 'stacked' else mlp_config()), MOONS, \
        moons_batch(n=5)
  model = autoencoder.FAMILY.model(c, info)
  params, ms = init(model, batch)
  out = jax.jit(model.evaluate)(params, ms, batch, KEY)
  for k, v in out.items():
    assert v.shape == (5,), (k, v.shape)
  x = _np(batch['x'])
  if kind == 'mlp':
    recon = np_mlp_reconstruct(jax.tree.map(_np, params['model']), x)
  elif kind == 'stacked':
    recon = np_stacked_reconstruct(jax.tree.map(_np, params), x)
  else:
    (layer,) = nets.build_layers(typed(c).model, info, jnp.float32)
    recon = _np(apply_fn(layer)(params['model'], batch['x']))
  np.testing.assert_allclose(out['mse'], ((recon - x) ** 2).reshape(5, -1).mean(1), rtol=1e-5)
  np.testing.assert_allclose(out['loss'], np_sum_sq(recon, x), rtol=1e-5)
  if kind == 'conv':
    mse = ((recon - x) ** 2).reshape(5, -1).mean(1)
    np.testing.assert_allclose(out['psnr'], 10 * np.log10(2.0 ** 2 / mse), rtol=1e-5)
    assert set(out) == {'loss', 'mse', 'psnr'}
  else:
    assert set(out) == {'loss', 'mse'}


@pytest.mark.parametrize('kind', ['mlp', 'conv'])
def test_sample_and_visualize_shapes(kind):
  if kind == 'conv':
    c, info, batch = conv_config(), DIGITS, digits_batch(n=10)
  else:
    c, info = (stacked_config() if kind == 'stacked' else mlp_config()), MOONS
    batch = moons_batch(n=10)
  model = autoencoder.FAMILY.model(c, info)
  params, ms = init(model, batch)
  s = jax.jit(model.sample, static_argnums=3)(params, ms, KEY, 6, batch)
  assert s.shape == (6,) + info.shape and s.dtype == jnp.float32
  assert np.all(np.isfinite(s))
  vis = jax.jit(model.visualize)(params, ms, batch, KEY)
  if kind == 'conv':
    assert vis['reconstruction'].shape == (2, 8) + info.shape
  else:
    assert vis['reconstruction'].shape == (10,) + info.shape   # the whole batch, for a scatter


def test_bce_sample_is_a_probability():
  config = mlp_config(loss='bce')
  config.data.scale = 'zero_one'
  model = autoencoder.FAMILY.model(config, PIXELS)
  batch = {'x': jnp.asarray(np.random.default_rng(0).uniform(size=(10, 2, 1, 1)), jnp.float32)}
  params, ms = init(model, batch)
  params = jax.tree.map(lambda a: 5 * a, params)       # logits far from 0
  s = np.asarray(jax.jit(model.sample, static_argnums=3)(params, ms, KEY, 5, batch))
  assert s.shape == (5, 2, 1, 1) and s.min() >= 0 and s.max() <= 1
