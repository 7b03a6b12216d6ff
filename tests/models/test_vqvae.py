"""VQ-VAE model: losses against a numpy reference, the EMA codebook through the generic train
step and the checkpoint, evaluation, sampling, modes and config errors."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.vqvae import digits
from experiments.families import FAMILIES
from gdm.data.source import DatasetInfo
from gdm.models import vqvae_prior
from gdm.models.vqvae.config import VQVAEConfig
from gdm.models.vqvae.nets import build_networks
from gdm.nn import vector_quantizer as vq
from gdm.train import state as state_lib
from gdm.train.step import make_train_step
from gdm.utils import schema
from tests.helpers import random_like, read_checkpoint

DIGITS = DatasetInfo('digits', (16, 16, 1), 'image', num_classes=10)
# 'rbg' keys: XLA:CPU compiles the default threefry generator slowly for rank >= 3 shapes.
KEY = jax.random.key(0, impl='rbg')
K, D = 16, 8                        # the smoke variant's codebook


def config(**model):
  c = digits.get_config('smoke')
  c.model.update(model)
  return c


def batch_of(n=4, seed=0):
  x = np.random.default_rng(seed).uniform(-1, 1, size=(n, 16, 16, 1))
  return {'x': jnp.asarray(x, jnp.float32)}


def init(model, model_config, batch, ema, seed=0):
  """Random params with model.init's structure, without compiling flax's initialisers; the
  codebook is K encoder outputs of the batch, so that many codes are used."""
  shapes, _ = jax.eval_shape(model.init, KEY, batch)
  rng = np.random.default_rng(seed)

  params = random_like(shapes, rng)
  encode, _ = networks(model_config)
  z = np.asarray(encode(params['model']['encoder'], batch['x'])).reshape(-1, D)
  codebook = jnp.asarray(z[rng.choice(len(z), K, replace=False)])
  if ema:
    return params, {'quantizer': vq.ema_init(codebook)}
  params['model']['codebook'] = codebook
  return params, {}


def networks(c):
  enc, dec = build_networks(schema.parse(VQVAEConfig, c.model), DIGITS, jnp.float32)
  return (jax.jit(lambda p, x: enc.apply({'params': p}, x)),
          jax.jit(lambda p, z: dec.apply({'params': p}, z)))


def reference(c, params, model_state, x):
  """(codes, per-example loss, reconstruction, z_e) in numpy from the networks' apply."""
  encode, decode = networks(c)
  p = params['model']
  ema = c.model.ema_codebook
  codebook = np.asarray(model_state['quantizer']['codebook'] if ema else p['codebook'])
  z = np.asarray(encode(p['encoder'], x), np.float64)
  codes = ((z[..., None, :] - codebook) ** 2).sum(-1).argmin(-1)
  e = codebook[codes]
  recon = np.asarray(decode(p['decoder'], jnp.asarray(e, jnp.float32)), np.float64)
  sq_recon = ((recon - np.asarray(x)) ** 2).reshape(len(x), -1).sum(1)
  sq_latent = ((z - e) ** 2).reshape(len(x), -1).sum(1)
  loss = sq_recon + c.model.commitment_cost * sq_latent + (0 if ema else sq_latent)
  return codes, loss, recon, z


def np_perplexity(codes):
  p = np.bincount(codes.reshape(-1)) / codes.size
  p = p[p > 0]
  return np.exp(-(p * np.log(p)).sum())


@pytest.mark.parametrize('ema', [False, True])
def test_structure_and_loss_match_reference(ema):
  c = config(ema_codebook=ema, dead_code_threshold=0.0)
  model = vqvae_prior.FAMILY.model(c, DIGITS)
  batch = batch_of()
  shapes, ms_shapes = jax.eval_shape(model.init, KEY, batch)
  assert set(shapes['model']) == ({'encoder', 'decoder'} | (set() if ema else {'codebook'}))
  if ema:
    assert jax.tree.map(lambda a: a.shape, ms_shapes) == {'quantizer': {
        'codebook': (K, D), 'cluster_size': (K,), 'embed_sum': (K, D), 'updates': ()}}
  else:
    assert shapes['model']['codebook'].shape == (K, D) and ms_shapes == {}
  params, ms = init(model, c, batch, ema)
  loss, (metrics, new_ms) = jax.jit(model.players[0].loss_fn)(params, ms, batch, KEY, 0)
  codes, per_example, recon, z = reference(c, params, ms, batch['x'])
  assert codes.shape == (4, 4, 4) and len(np.unique(codes)) > 3
  np.testing.assert_allclose(loss, per_example.mean(), rtol=1e-5)
  np.testing.assert_allclose(metrics['perplexity'], np_perplexity(codes), rtol=1e-5)
  np.testing.assert_allclose(metrics['usage'], len(np.unique(codes)) / K)
  np.testing.assert_allclose(metrics['mse'],
                             ((recon - batch['x']) ** 2).mean(), rtol=1e-5)
  if ema:   # the loss hands back the EMA-updated codebook
    want = vq.ema_update(ms['quantizer'], jnp.asarray(z, jnp.float32), jnp.asarray(codes),
                         c.model.codebook_decay, c.model.codebook_epsilon)
    jax.tree.map(lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6),
                 new_ms['quantizer'], want)
  else:
    assert new_ms == {}


def test_decoder_gradient_reaches_the_encoder_through_the_quantizer():
  # beta = 0 and an EMA codebook: the encoder's only gradient is the straight-through one.
  c = config(ema_codebook=True, commitment_cost=0.0, dead_code_threshold=0.0)
  model = vqvae_prior.FAMILY.model(c, DIGITS)
  batch = batch_of()
  params, ms = init(model, c, batch, ema=True)
  grads = jax.jit(jax.grad(lambda p: model.players[0].loss_fn(p, ms, batch, KEY, 0)[0]))(
      params)
  assert all(np.abs(g).max() > 0 for g in jax.tree.leaves(grads['model']['encoder']))


def _train(c, ema, steps):
  model = vqvae_prior.FAMILY.model(c, DIGITS)
  batch = batch_of(8)
  params, ms = init(model, c, batch, ema)
  state = state_lib.create(params, ms, {p.name: p.optimizer for p in model.players})
  step = jax.jit(make_train_step(model.players, lambda b, k, t: b, ema_decay=0.0))
  history = [state]
  for _ in range(steps):
    state, _ = step(state, jax.tree.map(lambda a: a[None], batch), KEY)
    history.append(state)
  return c, batch, history


def test_train_step_carries_the_ema_codebook():
  c, batch, history = _train(config(ema_codebook=True, dead_code_threshold=0.0), True, 2)
  decay, eps = c.model.codebook_decay, c.model.codebook_epsilon
  for before, after in zip(history[:-1], history[1:]):
    codes, _, _, z = reference(c, before.params, before.model_state, batch['x'])
    want = vq.ema_update(before.model_state['quantizer'], jnp.asarray(z, jnp.float32),
                         jnp.asarray(codes), decay, eps)
    jax.tree.map(lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6),
                 after.model_state['quantizer'], want)
  assert int(history[-1].model_state['quantizer']['updates']) == 2
  assert not np.allclose(history[-1].model_state['quantizer']['codebook'],
                         history[0].model_state['quantizer']['codebook'])


def test_train_step_trains_the_codebook_parameter_without_ema():
  _, _, history = _train(config(ema_codebook=False, dead_code_threshold=0.0), False, 1)
  assert history[-1].model_state == {}
  assert not np.allclose(history[-1].params['model']['codebook'],
                         history[0].params['model']['codebook'])


def test_evaluate_sample_visualize_and_modes():
  c = config(ema_codebook=True)
  model = vqvae_prior.FAMILY.model(c, DIGITS)
  batch = batch_of(6)
  params, ms = init(model, c, batch, ema=True)
  codes, per_example, recon, _ = reference(c, params, ms, batch['x'])
  out = jax.jit(model.evaluate)(params, ms, batch, KEY)
  assert set(out) == {'loss', 'mse', 'psnr', 'commitment_loss', 'perplexity', 'usage'}
  assert all(v.shape == (6,) for v in out.values())
  np.testing.assert_allclose(out['loss'], per_example, rtol=1e-5)
  mse = ((recon - batch['x']) ** 2).reshape(6, -1).mean(1)
  np.testing.assert_allclose(out['mse'], mse, rtol=1e-5)
  np.testing.assert_allclose(out['psnr'], 10 * np.log10(4 / mse), rtol=1e-5)
  np.testing.assert_allclose(out['perplexity'], np_perplexity(codes), rtol=1e-5)
  # A padding mask leaves the masked examples out of the batch statistics.
  masked = jax.jit(model.evaluate)(params, ms, {**batch, 'mask': jnp.asarray([1, 1, 0] * 2)},
                                   KEY)
  np.testing.assert_allclose(masked['perplexity'], np_perplexity(codes[[0, 1, 3, 4]]),
                             rtol=1e-5)
  got = jax.jit(model.modes['codes'])(params, ms, batch, KEY)['codes']
  assert got.dtype == jnp.int32
  np.testing.assert_array_equal(got, codes)
  rec = jax.jit(model.modes['reconstruct'])(params, ms, batch, KEY)
  np.testing.assert_allclose(rec['reconstruction'], recon, rtol=1e-4, atol=1e-5)
  vis = jax.jit(model.visualize)(params, ms, batch, KEY)['reconstruction']
  assert vis.shape == (2, 6, 16, 16, 1)
  np.testing.assert_allclose(vis[1], recon, rtol=1e-4, atol=1e-5)
  # Samples decode only codes the reference uses: with one code in use, all are that map.
  far = ms['quantizer']['codebook'].at[1:].set(1e3).at[0].set(0.0)
  one = {'quantizer': {**ms['quantizer'], 'codebook': far}}
  s = np.asarray(jax.jit(model.sample, static_argnums=3)(params, one, KEY, 5, batch))
  assert s.shape == (5, 16, 16, 1) and np.all(np.isfinite(s))
  _, decode = networks(c)
  want = decode(params['model']['decoder'], jnp.zeros((1, 4, 4, D)))
  np.testing.assert_allclose(s, np.broadcast_to(want, s.shape), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('model, info, message', [
    (dict(num_codes=0), DIGITS, 'model.num_codes=0 must be >= 1'),
    (dict(commitment_cost=-0.1), DIGITS, 'model.commitment_cost=-0.1 must be >= 0'),
    (dict(codebook_decay=1.0), DIGITS, r'model.codebook_decay=1.0 must be in \[0, 1\)'),
    (dict(ema_codebook=False, dead_code_threshold=1.0), DIGITS, 'needs model.ema_codebook'),
    (dict(channels=(8, 16, 32, 64, 64)), DIGITS, r'image size 16 is not divisible by 2\*\*5'),
    ({}, DatasetInfo('moons', (2,), 'vector'), "needs an image dataset; 'moons'"),
    ({}, DatasetInfo('celeb_a', (218, 178, 3), 'image'), 'square images.*218x178'),
    (dict(act='swish'), DIGITS, "'swish'"),
])
def test_bad_config_raises_one_line(model, info, message):
  with pytest.raises(ValueError, match=message) as e:
    vqvae_prior.FAMILY.model(config(**model), info)
  assert '\n' not in str(e.value)


def test_smoke_config_trains_and_checkpoints_the_codebook(tmp_path):
  from gdm.train import loop
  from gdm.train.writer import read_metrics
  c = digits.get_config('smoke')
  c.train.num_steps = c.train.checkpoint_every = 4
  state = loop.train_and_evaluate(c, str(tmp_path), FAMILIES['vqvae'], jax.devices()[:1])
  assert int(state.step) == 4 and int(state.model_state['quantizer']['updates']) == 4
  saved = read_checkpoint(str(tmp_path), 4)['model_state']['quantizer']
  jax.tree.map(np.testing.assert_array_equal, saved, jax.device_get(
      state.model_state['quantizer']))
  evals = [m for m in read_metrics(str(tmp_path)) if 'eval/perplexity' in m]
  assert evals and 1 <= evals[-1]['eval/perplexity'] <= K


def test_prior_workdir_must_be_a_trained_prior(tmp_path):
  config = digits.get_config('smoke')
  info = DatasetInfo('digits', (8, 8, 1), 'image', num_classes=10)
  config.model.prior_workdir = str(tmp_path / 'missing')
  with pytest.raises(ValueError, match='prior_workdir=.*does not exist'):
    vqvae_prior.FAMILY.model(config, info)
