"""Translation models: the losses against hand computations (nets set to known constant
maps), each player moves only its own params, the history buffers live in model_state."""
import jax
import jax.numpy as jnp
import numpy as np

from experiments.configs.translation import cyclegan_digits_invert, pix2pix_digits_edges
from gdm.data.source import DatasetInfo
from gdm.metrics import image as image_metrics
from gdm.models import translation
from gdm.models.translation import cyclegan, pix2pix
from gdm.train import state as state_lib
from gdm.train.config import parse_run
from gdm.train.step import make_train_step
from tests.helpers import flat, random_like

PAIRED = DatasetInfo('digits_edges', (16, 16, 1), 'image', target_shape=(16, 16, 1),
                     pairing='paired')
UNPAIRED = DatasetInfo('digits_invert', (16, 16, 1), 'image', target_shape=(16, 16, 1),
                       pairing='unpaired')
KEY = jax.random.key(0)


def batch(n=4, seed=0):
  rng = np.random.default_rng(seed)
  return {k: jnp.asarray(rng.uniform(-1, 1, (n, 16, 16, 1)), jnp.float32) for k in 'xy'}


def setup(module, info):
  config = module.get_config('smoke')
  model = translation.FAMILY.model(config, info)
  params, model_state = model.init(KEY, batch())
  return config, model, params, model_state


def constant(params, path, value):
  """params with every leaf under `path` zero except the bias there: a net whose output is
  that constant (its activation applied)."""
  def fill(p, leaf):
    key = jax.tree_util.keystr(p)
    return jnp.full_like(leaf, value) if key.endswith(f"{path}']['bias']") else 0 * leaf
  return jax.tree_util.tree_map_with_path(fill, params)


def mean_abs(c, v):
  return np.abs(c - np.asarray(v)).mean()


def test_cycle_and_identity_losses_by_hand():
  """G(anything) = 0.3, F(anything) = -0.2, D_B scores 0.7 and D_A -0.4 everywhere. Then
  F(G(a)) = -0.2, G(F(b)) = 0.3, G(b) = 0.3, F(a) = -0.2, and LSGAN gives G the terms
  2 * 1/2 (s - 1)^2 and D the terms 1/2 (s - 1)^2 + 1/2 s^2."""
  config, model, params, state = setup(cyclegan_digits_invert, UNPAIRED)
  cg = cyclegan.build(parse_run(config, translation.FAMILY.config), UNPAIRED)
  p = {'generators': {'b': constant(params['generators']['b'], 'out', np.arctanh(0.3)),
                      'a': constant(params['generators']['a'], 'out', np.arctanh(-0.2))},
       'discriminators': {'b': constant(params['discriminators']['b'], 'score', 0.7),
                          'a': constant(params['discriminators']['a'], 'score', -0.4)}}
  b = batch()
  a_, b_ = np.asarray(b['x']), np.asarray(b['y'])
  cycle = mean_abs(-0.2, a_) + mean_abs(0.3, b_)
  identity = mean_abs(0.3, b_) + mean_abs(-0.2, a_)
  adversarial = 2 * (0.5 * (0.7 - 1) ** 2 + 0.5 * (-0.4 - 1) ** 2)
  loss, (metrics, _) = cyclegan.generator_loss(cg, p, state, b, KEY, 0)
  np.testing.assert_allclose(float(metrics['cycle']), cycle, rtol=1e-5)
  np.testing.assert_allclose(float(metrics['identity']), identity, rtol=1e-5)
  np.testing.assert_allclose(float(loss), adversarial + 10 * cycle + 0.5 * 10 * identity,
                             rtol=1e-5)
  d_loss, (d_metrics, new_state) = cyclegan.discriminator_loss(cg, p, state, b, KEY, 0)
  want = (0.5 * 0.3 ** 2 + 0.5 * 0.7 ** 2) + (0.5 * 1.4 ** 2 + 0.5 * 0.4 ** 2)
  np.testing.assert_allclose(float(d_loss), want, rtol=1e-5)
  # The buffers now hold this batch's fakes: G's for D_B, F's for D_A.
  pools = new_state['pools']
  assert int(pools['b']['count']) == int(pools['a']['count']) == 4
  np.testing.assert_allclose(pools['b']['images'][:4], 0.3, rtol=1e-6)
  np.testing.assert_allclose(pools['a']['images'][:4], -0.2, rtol=1e-6)
  assert float(jnp.abs(pools['b']['images'][4:]).max()) == 0.0
  out = model.evaluate(p, state, b, KEY)          # per example, as a share of the range 2
  np.testing.assert_allclose(np.asarray(out['cycle_a']).mean(), mean_abs(-0.2, a_) / 2,
                             rtol=1e-5)
  np.testing.assert_allclose(np.asarray(model.translate(p, state, b, KEY)), 0.3, rtol=1e-6)


def test_pix2pix_losses_by_hand():
  """G(x) = 0.3, D(x, y) = 0.7 everywhere: the cGAN terms are softplus of the score (the
  non-saturating generator) and L1 weighs 100."""
  config, model, params, state = setup(pix2pix_digits_edges, PAIRED)
  p2p = pix2pix.build(parse_run(config, translation.FAMILY.config), PAIRED)
  p = {'generator': constant(params['generator'], 'up0', np.arctanh(0.3)),
       'discriminator': constant(params['discriminator'], 'score', 0.7)}
  b = batch()
  softplus = lambda s: np.log1p(np.exp(s))  # noqa: E731
  l1 = mean_abs(0.3, b['y'])
  loss, (metrics, _) = pix2pix.generator_loss(p2p, p, state, b, KEY, 0)
  np.testing.assert_allclose(float(metrics['l1']), l1, rtol=1e-5)
  np.testing.assert_allclose(float(loss), softplus(-0.7) + 100 * l1, rtol=1e-5)
  d_loss, _ = pix2pix.discriminator_loss(p2p, p, state, b, KEY, 0)
  np.testing.assert_allclose(float(d_loss), softplus(-0.7) + softplus(0.7), rtol=1e-5)
  out = model.evaluate(p, state, b, KEY)
  np.testing.assert_allclose(np.asarray(out['l1']).mean(), l1 / 2, rtol=1e-5)
  want_psnr = 10 * np.log10(4 / ((0.3 - np.asarray(b['y'])) ** 2).mean((1, 2, 3)))
  np.testing.assert_allclose(np.asarray(out['psnr']), want_psnr, rtol=1e-4)
  # SSIM as on stored pixels: [-1, 1] -> [0, 255] first (its luminance term is not shift
  # invariant).
  to_pixels = lambda v: (np.asarray(v, np.float64) + 1) * 127.5  # noqa: E731
  want_ssim = image_metrics.ssim(to_pixels(np.full(b['y'].shape, 0.3)), to_pixels(b['y']), 255.)
  np.testing.assert_allclose(np.asarray(out['ssim']), want_ssim, rtol=1e-4, atol=1e-6)
  # D judges the image with its source: it reads both images' channels.
  assert params['discriminator']['conv0']['kernel'].shape[2] == 2


def run_step(players, params, model_state, b):
  step = jax.jit(make_train_step(players, lambda raw, k, train: raw, 0.5))
  s = state_lib.create(params, model_state, {p.name: p.optimizer for p in players})
  return step(s, jax.tree.map(lambda v: v[None], b), KEY)


def test_each_player_moves_only_its_own_params():
  """CycleGAN's two players (pix2pix's are bound the same way: test_translation_training
  trains both)."""
  config = cyclegan_digits_invert.get_config('smoke')
  model = translation.FAMILY.model(config, UNPAIRED)
  assert tuple(p.name for p in model.players) == ('generators', 'discriminators')
  assert [p.name for p in translation.FAMILY.model(pix2pix_digits_edges.get_config('smoke'),
                                                   PAIRED).players] == ['discriminator',
                                                                        'generator']
  shapes = jax.eval_shape(model.init, KEY, batch())
  params = random_like(shapes[0], np.random.default_rng(0))
  model_state = jax.tree.map(lambda s: jnp.zeros(s.shape, s.dtype), shapes[1])
  before = flat(params)
  for player in model.players:
    new, metrics = run_step((player,), params, model_state, batch())
    after = flat(new.params)
    for name in before:
      moved = not np.array_equal(before[name], after[name])
      if name.startswith(f"['{player.name}']"):
        assert moved or name.endswith("['bias']"), name
      else:
        assert not moved, name
    assert float(metrics['grad_norm']) > 0
    pools = new.model_state['pools']
    # The discriminators' step fills the buffers with its fakes; the generators' does not.
    assert int(pools['a']['count']) == (4 if player.name == 'discriminators' else 0)
