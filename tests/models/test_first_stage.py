"""The first stage: its loss against numpy (L1 + weighted closed-form KL; VQ's nearest code
by brute force), the adversarial term against the hinge generator loss and its start step,
the discriminator player, evaluation and config errors."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.first_stage import ldm_digits
from gdm.data.source import DatasetInfo
from gdm.models import first_stage
from gdm.models.first_stage import family
from gdm.nn.patch_discriminator import PatchDiscriminator, patch_levels
from gdm.train import state as state_lib
from gdm.train.config import parse_run
from gdm.train.step import make_train_step
from tests.helpers import one_line_error, random_like

DIGITS = DatasetInfo('digits', (16, 16, 1), 'image', num_classes=10)
KEY = jax.random.key(0, impl='rbg')


def built(**model):
  """(config, Model, FirstStage) of ldm_digits:smoke with `model` overrides."""
  c = ldm_digits.get_config('smoke')
  c.model.update(model)
  run = parse_run(c, first_stage.FAMILY.config)
  return c, first_stage.FAMILY.model(run, DIGITS), family.build(run, DIGITS)


def batch_of(n=4, seed=0):
  x = np.random.default_rng(seed).uniform(-1, 1, size=(n, 16, 16, 1))
  return {'x': jnp.asarray(x, jnp.float32), 'y': jnp.arange(n, dtype=jnp.int32)}


def params_of(m, batch, seed=1):
  shapes, state = jax.eval_shape(m.init, KEY, batch)
  params = random_like(shapes, np.random.default_rng(seed))
  return params, jax.tree.map(lambda s: jnp.zeros(s.shape, s.dtype), state)


def test_kl_loss_is_l1_plus_weighted_closed_form_kl():
  c, m, fs = built(kl=dict(weight=0.01))
  batch = batch_of()
  params, state = params_of(m, batch)
  loss, (metrics, _) = jax.jit(m.players[0].loss_fn)(params, state, batch, KEY, 0)
  h = np.asarray(family.encoder_output(fs, params, batch['x']), np.float64)
  mean, log_var = h[..., :4], np.clip(h[..., 4:], -30, 20)
  kl = 0.5 * (mean ** 2 + np.exp(log_var) - 1 - log_var).reshape(4, -1).sum(1)
  eps = np.asarray(jax.random.normal(KEY, (mean.size,))).reshape(mean.shape)
  z = mean + np.exp(0.5 * log_var) * eps                    # the loss's reparameterised draw
  x_hat = np.asarray(family.decoder_output(fs, params, jnp.asarray(z, jnp.float32)))
  l1 = np.abs(x_hat - np.asarray(batch['x'])).reshape(4, -1).sum(1)
  np.testing.assert_allclose(metrics['kl'], kl.mean(), rtol=1e-4)
  np.testing.assert_allclose(loss, (l1 + 0.01 * kl).mean(), rtol=1e-4)


def test_vq_decoder_reads_the_nearest_code_and_the_loss_adds_the_commitment():
  c, m, fs = built(regularizer='vq', reconstruction='l2', vq=dict(commitment_cost=0.5))
  batch = batch_of()
  params, state = params_of(m, batch)
  z = np.asarray(family.encode(fs, params, state, batch['x'], KEY), np.float64)
  codebook = z.reshape(-1, 4)[np.random.default_rng(0).choice(16, 16, replace=False)]
  state = {'quantizer': {**state['quantizer'], 'codebook': jnp.asarray(codebook, jnp.float32)}}
  e = codebook[((z[..., None, :] - codebook) ** 2).sum(-1).argmin(-1)]
  x_hat = np.asarray(family.decoder_output(fs, params, jnp.asarray(e, jnp.float32)))
  np.testing.assert_allclose(family.decode(fs, params, state, jnp.asarray(z, jnp.float32)),
                             x_hat, rtol=1e-5, atol=1e-6)
  loss, (metrics, new_state) = jax.jit(m.players[0].loss_fn)(params, state, batch, KEY, 0)
  sq = ((x_hat - np.asarray(batch['x'])) ** 2).reshape(4, -1).sum(1)
  commit = ((z - e) ** 2).reshape(4, -1).sum(1)
  np.testing.assert_allclose(loss, (sq + 0.5 * commit).mean(), rtol=1e-4)
  assert int(new_state['quantizer']['updates']) == 1        # the EMA codebook moved


def test_adversarial_term_is_the_hinge_generator_loss_from_start_step_on():
  c, m, fs = built(adversarial=dict(weight=0.5, start_step=3))
  assert [p.name for p in m.players] == ['model', 'discriminator']
  batch = batch_of()
  params, state = params_of(m, batch)
  loss_fn = jax.jit(m.players[0].loss_fn)
  before, _ = loss_fn(params, state, batch, KEY, 2)
  after, (metrics, _) = loss_fn(params, state, batch, KEY, 3)
  x_hat, *_ = family.autoencode(fs, params, state, batch['x'], KEY, False)
  scores = np.asarray(PatchDiscriminator((8, 16), 'layer').apply(
      {'params': params['discriminator']}, x_hat))
  assert scores.shape == (4, 8, 8)                          # one logit per patch
  # The difference of two losses of ~200: float32 cancellation allows ~1e-5.
  np.testing.assert_allclose(after - before, 0.5 * -scores.mean(), rtol=1e-3, atol=1e-4)
  np.testing.assert_allclose(metrics['g_loss'], -scores.mean(), rtol=1e-4, atol=1e-6)


def test_discriminator_player_waits_for_start_step():
  c, m, fs = built(adversarial=dict(weight=0.5, start_step=1))
  batch = batch_of()
  params, state = params_of(m, batch)
  train = state_lib.create(params, state, {p.name: p.optimizer for p in m.players})
  step = jax.jit(make_train_step(m.players, lambda b, k, t: b, 0.9))
  stacked = jax.tree.map(lambda v: v[None], batch)
  first, metrics = step(train, stacked, KEY)                 # step 0: D idle
  jax.tree.map(np.testing.assert_array_equal, first.params['discriminator'],
               params['discriminator'])
  assert float(metrics['discriminator/loss']) == 0
  second, metrics = step(first, stacked, KEY)                # step 1: D trains on hinge
  assert float(metrics['discriminator/loss']) > 0
  moved = jax.tree.map(lambda a, b: np.abs(np.asarray(a) - np.asarray(b)).max(),
                       second.params['discriminator'], params['discriminator'])
  assert max(jax.tree.leaves(moved)) > 0


def test_evaluation_reports_reconstruction_quality_and_latent_statistics():
  c, m, fs = built()
  batch = batch_of()
  params, state = params_of(m, batch)
  out = jax.jit(m.evaluate)(params, state, batch, KEY)
  assert {'loss', 'reconstruction', 'mse', 'psnr', 'ssim', 'kl', 'latent_mean',
          'latent_sq'} <= set(out)
  assert all(v.shape == (4,) for v in out.values())
  x_hat = np.asarray(jax.jit(lambda p, s, x: family.reconstruct(fs, p, s, x, KEY))(
      params, state, batch['x']))
  assert x_hat.shape == (4, 16, 16, 1) and fs.latent_shape == (4, 4, 4)
  assert jax.jit(m.sample, static_argnums=3)(params, state, KEY, 3, batch).shape == (3, 16,
                                                                                       16, 1)


def test_config_errors_are_one_line():
  err = one_line_error(lambda: built(net='identity'))
  assert "model.regularizer='kl'" in err and "'none'" in err
  err = one_line_error(lambda: built(net='identity', regularizer='none'))
  assert "model.net='identity' has nothing to train" in err
  assert 'model.adversarial.lossz' in one_line_error(lambda: built(adversarial=dict(lossz=1)))
  err = one_line_error(lambda: built(adversarial=dict(weight=1.0, channels=(8, 8, 8, 8, 8, 8))))
  assert 'image size 16 is not divisible by 2**5' in err
  assert 'model.channels' in one_line_error(lambda: built(channels=()))
  with pytest.raises(ValueError):
    patch_levels(12, (8, 8, 8, 8))
