"""VAE model: losses against the objective functions, conditioning, modes, config errors."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.vae import gaussian_toy, mlp_digits
from gdm.data.source import DatasetInfo
from gdm.models import vae
from gdm.models.vae import family
from gdm.models.vae.nets import VAENet
from gdm.train.config import parse_run
from gdm.objectives import elbo as E

DIGITS = DatasetInfo('digits', (8, 8, 1), 'image', num_classes=10)
GAUSS = DatasetInfo('gaussian', (2,), 'vector')
KEY = jax.random.key(0, impl='rbg')    # see test_autoencoder.py: fast to compile on CPU


def digits_config(**model):
  c = mlp_digits.get_config('smoke')
  c.model.update(model)
  return c


def digits_batch(n=4, seed=0):
  rng = np.random.default_rng(seed)
  return {'x': jnp.asarray(rng.uniform(size=(n, 8, 8, 1)) < 0.5, jnp.float32),
          'y': jnp.asarray(np.arange(n) % 10, jnp.int32)}


def setup(config, info, batch):
  model = vae.FAMILY.model(config, info)
  params, ms = jax.jit(model.init)(KEY, batch)
  return model, params, ms


def loss_and_metrics(model, params, batch, step=0):
  loss, (metrics, _) = jax.jit(model.players[0].loss_fn)(params, {}, batch, KEY, step)
  return float(loss), {k: float(v) for k, v in metrics.items()}


def test_loss_is_recon_plus_warmed_up_beta_kl():
  batch = digits_batch()
  model, params, _ = setup(digits_config(elbo=dict(beta=3.0, warmup_steps=10)), DIGITS, batch)
  for step, w in ((0, 0.0), (5, 1.5), (50, 3.0)):
    loss, m = loss_and_metrics(model, params, batch, step)
    assert m['kl_weight'] == pytest.approx(w)
    assert loss == pytest.approx(m['recon'] + w * m['kl'], rel=1e-5)
    assert m['elbo'] == pytest.approx(-m['recon'] - m['kl'], rel=1e-5)


def test_free_bits_and_iwae_losses_use_the_objectives():
  batch = digits_batch()
  model, params, _ = setup(digits_config(elbo=dict(free_bits=5.0)), DIGITS, batch)
  loss, m = loss_and_metrics(model, params, batch)
  assert loss == pytest.approx(m['recon'] + 5.0 * 4, rel=1e-5)   # every dim below the floor
  c = digits_config(objective='iwae', iwae=dict(k=5))
  model, params, _ = setup(c, DIGITS, batch)
  loss, m = loss_and_metrics(model, params, batch)
  net = VAENet('mlp', (16,), (), 4, (8, 8, 1), 1)
  p, x = params['model'], batch['x']
  mean, log_var = net.apply({'params': p}, x, method='encode')
  ll = lambda z: -jnp.sum(jax.nn.softplus(net.apply({'params': p}, z, method='decode'))
                          - x * net.apply({'params': p}, z, method='decode'), (1, 2, 3))
  want = -E.iwae_bound(KEY, mean, log_var, ll, 5).mean()
  assert loss == pytest.approx(float(want), rel=1e-5) and m['iwae_bound'] == pytest.approx(-loss)


def test_evaluate_per_example_values_and_bpd():
  batch = digits_batch(n=5)
  model, params, ms = setup(digits_config(eval_k=50, eval_chunk=20), DIGITS, batch)
  out = jax.jit(model.evaluate)(params, ms, batch, KEY)
  assert set(out) == {'elbo', 'loss', 'kl', 'recon', 'nll', 'bpd'}
  assert all(v.shape == (5,) for v in out.values())
  np.testing.assert_allclose(out['loss'], -out['elbo'])
  np.testing.assert_allclose(out['elbo'], -(out['recon'] + out['kl']), rtol=1e-5)
  np.testing.assert_allclose(out['bpd'], out['nll'] / (64 * math.log(2)), rtol=1e-6)
  assert np.all(np.asarray(out['kl']) > 0)


def test_gaussian_bpd_offset_is_the_change_of_variables():
  c = digits_config(decoder='gaussian')
  c.data.binarize, c.data.dequantize = 'none', True
  assert bpd_offset(c, DIGITS) == pytest.approx(64 * math.log(128))   # [-1, 1] = 256/128
  c.data.dequantize = False
  assert bpd_offset(c, DIGITS) is None
  assert bpd_offset(gaussian_toy.get_config('smoke'), GAUSS) is None


def bpd_offset(config, info):
  run = parse_run(config, vae.VAEConfig)
  return family.bpd_offset(run.model.decoder, run.data.pixels, info)


def test_conditional_labels_change_the_decoder_and_are_guarded():
  batch = digits_batch()
  model, params, ms = setup(digits_config(conditional=True), DIGITS, batch)
  assert params['model']['encoder']['dense0']['kernel'].shape == (64 + 10, 16)
  assert params['model']['decoder']['dense0']['kernel'].shape == (4 + 10, 16)
  grid = jax.jit(model.modes['conditional'])(params, ms, batch, KEY)['samples']
  assert grid.shape == (10, 8, 8, 8, 1)
  assert not np.allclose(grid[0], grid[1])
  bad = dict(batch, y=jnp.array([0, 1, 2, 10]))
  with pytest.raises(ValueError, match=r'^class label 10 out of range \[0, 10\)'):
    model.evaluate(params, ms, bad, KEY)
  loss, _ = loss_and_metrics(model, params, bad)    # inside jit: NaN, so training stops
  assert np.isnan(loss)


def test_sample_temperature_scales_the_prior():
  batch = digits_batch()
  c = digits_config()
  c.sample.temperature = 1e-6
  c.sample.decoder_mean = True      # E[x | z]: Bernoulli probabilities, not draws
  model, params, ms = setup(c, DIGITS, batch)
  s = jax.jit(model.sample, static_argnums=3)(params, ms, KEY, 3, batch)
  net = VAENet('mlp', (16,), (), 4, (8, 8, 1), 1)
  zero = jax.nn.sigmoid(net.apply({'params': params['model']}, jnp.zeros((3, 4)),
                                  method='decode'))
  np.testing.assert_allclose(s, zero, atol=1e-5)


def test_modes_on_images_and_vectors():
  batch = digits_batch(n=6)
  model, params, ms = setup(digits_config(), DIGITS, batch)
  assert set(model.modes) == {'reconstruct', 'interpolate', 'impute', 'anomaly'}
  run = lambda name, b: jax.jit(model.modes[name])(params, ms, b, KEY)
  assert run('reconstruct', batch)['reconstruction'].shape == (2, 6, 8, 8, 1)
  inter = run('interpolate', batch)
  assert inter['linear'].shape == inter['spherical'].shape == (3, 8, 8, 8, 1)
  imp = run('impute', batch)['imputation']
  assert imp.shape == (3, 6, 8, 8, 1)
  np.testing.assert_array_equal(imp[1][:, :4], batch['x'][:, :4])   # observed half kept
  scores = run('anomaly', batch)
  assert scores['score_nll'].shape == scores['score_neg_elbo'].shape == (6,)
  c = gaussian_toy.get_config('smoke')
  vec = {'x': jnp.asarray(np.random.default_rng(0).normal(size=(10, 2)), jnp.float32)}
  model, params, ms = setup(c, GAUSS, vec)
  assert 'log_std' in params['model'] and params['model']['log_std'].shape == (2,)
  out = jax.jit(model.modes['impute'])(params, ms, vec, KEY)
  np.testing.assert_array_equal(out['imputed'][:, 0], vec['x'][:, 0])
  assert jax.jit(model.visualize)(params, ms, vec, KEY)['reconstruction'].shape == (10, 2)


def _error(config, info):
  with pytest.raises(ValueError) as e:
    vae.FAMILY.model(config, info)
  assert '\n' not in str(e.value)
  return str(e.value)


def test_config_errors_are_one_line():
  c = digits_config()
  c.data.binarize = 'none'
  assert "model.decoder='bernoulli' needs binary data" in _error(c, DIGITS)
  c = digits_config(decoder='discretized_logistic')
  c.data.binarize, c.data.scale = 'none', 'zero_one'
  assert "scale='zero_one'" in _error(c, DIGITS)
  assert 'model.iwae.k=0 must be >= 1' in _error(digits_config(objective='iwae', iwae=dict(k=0)),
                                                 DIGITS)
  assert 'model.eval_k=0' in _error(digits_config(eval_k=0), DIGITS)
  assert 'IWAE bound' in _error(digits_config(objective='iwae', iwae=dict(k=5),
                                             elbo=dict(beta=2.0)), DIGITS)
  assert "model.kl='analytic'" in _error(digits_config(elbo=dict(free_bits=0.5), kl='mc'),
                                             DIGITS)
  assert "has no labels" in _error(digits_config(conditional=True),
                                   DatasetInfo('celeb_a', (8, 8, 1), 'image'))
  assert "'conv' needs an image dataset" in _error(_conv_on_vectors(), GAUSS)
  c = digits_config()
  c.sample.temperature = 0.0
  assert 'sample.temperature=0.0' in _error(c, DIGITS)


def _conv_on_vectors():
  c = gaussian_toy.get_config('smoke')
  c.model.kind = 'conv'
  return c
