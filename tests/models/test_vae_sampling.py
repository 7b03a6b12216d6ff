"""VAE samples are draws of p(x | z) for every decoder likelihood (sample.decoder_mean=True:
E[x | z]); the image grids of training show decoder means."""
import jax
import jax.numpy as jnp
import numpy as np

from experiments.configs.vae import gaussian_toy, mlp_digits
from experiments.families import FAMILIES
from gdm.data.source import DatasetInfo
from gdm.models import vae
from gdm.train import experiment
from gdm.train.evaluation import Evaluator

DIGITS = DatasetInfo('digits', (8, 8, 1), 'image', num_classes=10)
GAUSS = DatasetInfo('gaussian', (2,), 'vector')
KEY = jax.random.key(0, impl='rbg')


def draws_and_means(config, info, batch, num, params_fn=None):
  """(samples, decoder means of the same prior draws) of a freshly initialised model."""
  model = vae.FAMILY.model(config, info)
  params, ms = jax.jit(model.init)(KEY, batch)
  params = params if params_fn is None else params_fn(params)
  config.sample.decoder_mean = True
  means = vae.FAMILY.model(config, info).sample
  run = lambda fn: np.asarray(jax.jit(fn, static_argnums=3)(params, ms, KEY, num, batch))
  return run(model.sample), run(means)


def digits_batch():
  return {'x': jnp.asarray(np.random.default_rng(0).uniform(size=(4, 8, 8, 1)) < 0.5,
                           jnp.float32), 'y': jnp.zeros((4,), jnp.int32)}


def test_bernoulli_samples_are_binary_draws_of_the_probabilities():
  n = 2000
  x, p = draws_and_means(mlp_digits.get_config('smoke'), DIGITS, digits_batch(), n)
  assert set(np.unique(x)) == {0.0, 1.0}
  assert np.all((p > 0) & (p < 1)) and len(np.unique(p)) > 2
  # Given z, x ~ Bernoulli(p): x - p has mean 0 and variance p (1 - p) <= 1/4 per pixel.
  np.testing.assert_array_less(np.abs((x - p).mean(0)), 5 * 0.5 / np.sqrt(n))


def test_gaussian_samples_add_the_learned_noise():
  n = 4000
  vec = {'x': jnp.asarray(np.random.default_rng(0).normal(size=(8, 2)), jnp.float32)}
  log_std = np.log([0.3, 1.5]).astype(np.float32)
  set_std = lambda params: {'model': {**params['model'], 'log_std': jnp.asarray(log_std)}}
  x, m = draws_and_means(gaussian_toy.get_config('smoke'), GAUSS, vec, n, set_std)
  noise = (x - m) / np.exp(log_std)
  np.testing.assert_array_less(np.abs(noise.mean(0)), 5 / np.sqrt(n))
  np.testing.assert_array_less(np.abs(noise.std(0) - 1), 5 * np.sqrt(0.5 / n))
  assert abs(np.corrcoef(noise.T)[0, 1]) < 5 / np.sqrt(n)


def test_discretized_logistic_samples_are_8_bit_images():
  config = mlp_digits.get_config('smoke')
  config.model.decoder = 'discretized_logistic'
  config.data.update(binarize='none', scale='minus_one_one')
  batch = {'x': jnp.asarray(np.random.default_rng(1).integers(0, 256, (4, 8, 8, 1)) / 127.5
                            - 1, jnp.float32), 'y': jnp.zeros((4,), jnp.int32)}
  x, m = draws_and_means(config, DIGITS, batch, 64)
  np.testing.assert_allclose((x + 1) * 127.5, np.round((x + 1) * 127.5), atol=1e-3)
  assert np.all(np.abs(x) <= 1) and np.all(np.abs(m) <= 1)
  assert not np.allclose(x, m, atol=1e-3)


def test_image_grids_show_decoder_means_and_mode_sample_draws(tmp_path):
  config = mlp_digits.get_config('smoke')
  exp = experiment.build(config, str(tmp_path), FAMILIES['vae'], jax.devices()[:1])
  state, _ = exp.restore_or_init()
  evaluator = Evaluator(exp)
  grid = evaluator.pictures(state)['samples']         # uint8 picture of probabilities
  assert len(np.unique(grid)) > 3
  x = np.load(evaluator.write_samples(state))['x']
  assert x.shape == (config.sample.num_samples, 8, 8, 1) and set(np.unique(x)) == {0.0, 1.0}
