"""The VAE trained with beta-TCVAE: the family draws z once and the variant's loss uses the
dataset size from the DatasetInfo; every bad value is a one-line error before compiling."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.vae import beta_tcvae_digits, beta_tcvae_dsprites, common
from gdm.data.source import DatasetInfo
from gdm.models import vae
from gdm.models.vae import family
from gdm.objectives import elbo as E
from gdm.objectives.elbo_variants import beta_tcvae as T
from gdm.train.config import parse_run
from tests.helpers import one_line_error

DIGITS = DatasetInfo('digits', (8, 8, 1), 'image', num_classes=10, num_examples=1500)
DSPRITES = DatasetInfo('dsprites', (64, 64, 1), 'image', num_examples=737_280)
KEY = jax.random.key(0, impl='rbg')


def digits_config(**tcvae):
  c = beta_tcvae_digits.get_config('smoke')
  c.model.beta_tcvae.update(tcvae)
  return c


def digits_batch(n=16, seed=0):
  rng = np.random.default_rng(seed)
  return {'x': jnp.asarray(rng.uniform(size=(n, 8, 8, 1)) < 0.5, jnp.float32),
          'y': jnp.asarray(np.arange(n) % 10, jnp.int32)}


@pytest.mark.parametrize('sampling', ['mws', 'mss'])
def test_loss_is_the_weighted_decomposition_at_the_one_sample_drawn(sampling):
  c = digits_config(alpha=0.5, beta=6.0, gamma=2.0, sampling=sampling)
  model = vae.FAMILY.model(c, DIGITS)
  batch = digits_batch()
  params, ms = jax.jit(model.init)(KEY, batch)
  loss, (metrics, _) = jax.jit(model.players[0].loss_fn)(params, ms, batch, KEY, 0)
  assert set(metrics) == {'elbo', 'kl', 'recon', 'mi', 'tc', 'dim_kl'}
  vae_ = family.build(parse_run(c, vae.VAEConfig), DIGITS)
  mean, log_var, ll = family.posterior(vae_, params['model'], batch)
  z = E.reparameterize(KEY, mean, log_var)           # the draw of the ELBO, from the same key
  terms = T.kl_decomposition(z, mean, log_var, DIGITS.num_examples, sampling)
  want = (-ll(z) + 0.5 * terms['mi'] + 6.0 * terms['tc'] + 2.0 * terms['dim_kl']).mean()
  np.testing.assert_allclose(loss, want, rtol=1e-5)
  np.testing.assert_allclose(metrics['tc'], terms['tc'].mean(), rtol=1e-4, atol=1e-5)
  np.testing.assert_allclose(metrics['kl'], E.mc_kl(z, mean, log_var).mean(), rtol=1e-4)


def test_the_paper_config():
  run = parse_run(beta_tcvae_dsprites.get_config(), vae.VAEConfig)
  m = run.model
  assert (run.data.name, m.objective, m.latent_dim, m.hidden, m.decoder) == (
      'dsprites', 'beta_tcvae', 10, (1200, 1200), 'bernoulli')
  assert (m.beta_tcvae.alpha, m.beta_tcvae.beta, m.beta_tcvae.gamma) == (1.0, 6.0, 1.0)
  assert (run.train.batch_size, run.train.num_steps) == (2048, 18_000)
  assert vae.FAMILY.model(run, DSPRITES).players[0].name == 'model'


@pytest.mark.parametrize('key, value, message', [
    ('alpha', -1.0, 'model.beta_tcvae.alpha=-1.0 must be >= 0'),
    ('beta', -6.0, 'model.beta_tcvae.beta=-6.0 must be >= 0'),
    ('gamma', -0.5, 'model.beta_tcvae.gamma=-0.5 must be >= 0'),
    ('sampling', 'iw', "unknown minibatch sampling estimator 'iw' in "
                       "model.beta_tcvae.sampling; choose one of: mws, mss"),
    ('bta', 6.0, "unknown config key 'model.beta_tcvae.bta'; did you mean "
                 "model.beta_tcvae.beta?"),
])
def test_bad_section_values(key, value, message):
  overrides = dict(objective='beta_tcvae', beta_tcvae={key: value})
  assert message in one_line_error(lambda: common.model_config(**overrides))


def test_batch_of_one():
  c = digits_config()
  c.train.batch_size = 1
  assert one_line_error(lambda: vae.FAMILY.model(c, DIGITS)).startswith(
      "train.batch_size=1: model.objective='beta_tcvae' estimates q(z) on the minibatch")


@pytest.mark.parametrize('num_examples', [0, 15])
def test_dataset_size_unknown_or_below_the_batch(num_examples):
  info = DatasetInfo('digits', (8, 8, 1), 'image', num_examples=num_examples)
  assert (f'needs the training set size N >= train.batch_size=16; the dataset reports '
          f'N={num_examples}') in one_line_error(lambda: vae.FAMILY.model(digits_config(), info))


def test_tcvae_settings_without_the_objective():
  c = digits_config()
  c.model.objective = 'elbo'
  assert one_line_error(lambda: vae.FAMILY.model(c, DIGITS)).startswith(
      "model.beta_tcvae.beta=6.0 is set, but model.objective='elbo' trains the ELBO")
