"""Trained end to end on the embedded tasks: a short run beats the identity baseline on the
held-out split (L1 and PSNR against the targets, raw-pixel FID against the target domain),
--mode=translate's files hold the split's translations, and a resumed CycleGAN run ends
exactly where an uninterrupted one does, its history buffers included."""
import os
import shutil

import jax
import numpy as np
import pytest
from PIL import Image

from experiments.configs.translation import cyclegan_digits_invert, pix2pix_digits_edges
from gdm.data import to_uint8
from gdm.metrics import distribution as dist
from gdm.models import translation
from gdm.models.translation import modes
from gdm.train import experiment, feature_extractors, loop, sample_metrics
from gdm.train.evaluation import Evaluator
from gdm.train.writer import read_metrics
from tests.helpers import flat, one_line_error, read_checkpoint

pytestmark = pytest.mark.slow   # trains models for minutes: python -m pytest -m slow

DEVICES = jax.devices()[:2]     # the sharded path, kept cheap


def short(module, steps, **train):
  config = module.get_config('smoke')
  config.train.update({**dict(num_steps=steps, log_every=steps, eval_every=steps,
                             checkpoint_every=steps, sample_every=steps), **train})
  config.train.optimizer.learning_rate = config.model.d_optimizer.learning_rate = 1e-3
  config.eval.num_examples, config.eval.batch_size = 0, 100
  return config


def raw_fid(a, b):
  f = lambda v: np.asarray(v, np.float64).reshape(len(v), -1)  # noqa: E731
  return dist.frechet_distance(*dist.gaussian_stats(f(a)), *dist.gaussian_stats(f(b)))


def test_pix2pix_beats_the_identity_on_held_out_pairs(tmp_path):
  workdir = str(tmp_path / 'p2p')
  config = short(pix2pix_digits_edges, 120, batch_size=32)
  loop.train_and_evaluate(config, workdir, translation.FAMILY, DEVICES)
  final = [r for r in read_metrics(workdir) if 'eval/l1' in r][-1]
  exp = experiment.build(config, workdir, translation.FAMILY, DEVICES)
  test = exp.eval_source[np.arange(len(exp.eval_source))]
  x, y = test['x'].astype(np.float64), test['y'].astype(np.float64)
  identity_l1 = np.abs(x - y).mean() / 255
  identity_psnr = np.mean(10 * np.log10(255 ** 2 / ((x - y) ** 2).mean((1, 2, 3))))
  assert final['eval/l1'] < 0.6 * identity_l1, (final['eval/l1'], identity_l1)
  assert final['eval/psnr'] > identity_psnr + 3, (final['eval/psnr'], identity_psnr)

  # --mode=translate: the whole held-out split, in order, with its targets.
  state, _ = exp.restore_or_init()
  evaluator = Evaluator(exp)
  path = modes.translate(exp, state, evaluator)
  assert path.endswith('translate_test_120.npz') and os.path.exists(path[:-4] + '.png')
  saved = np.load(path)
  assert saved['outputs'].shape == (297, 16, 16, 1)
  pixels = exp.config.data.pixels
  np.testing.assert_array_equal(np.asarray(to_uint8(saved['targets'], pixels)), test['y'])
  out = np.asarray(to_uint8(saved['outputs'], pixels)).astype(np.float64)
  np.testing.assert_allclose(np.abs(out - y).mean() / 255, final['eval/l1'], atol=0.01)
  assert modes.translate(exp, state, evaluator).endswith('translate_test_120_1.npz')
  # A folder of the user's images, any size and colour: resized and converted to the input.
  folder = tmp_path / 'mine'
  os.makedirs(folder)
  for name, size, mode in (('a.png', (40, 30), 'RGB'), ('b.jpg', (16, 16), 'L')):
    Image.fromarray(np.full(size[::-1] + ((3,) if mode == 'RGB' else ()), 200, np.uint8),
                    mode).save(folder / name)
  saved = np.load(modes.translate(exp, state, evaluator, input_dir=str(folder)))
  assert saved['outputs'].shape == saved['inputs'].shape == (2, 16, 16, 1)
  assert list(saved['files']) == ['a.png', 'b.jpg']
  assert 'targets' not in saved
  os.makedirs(tmp_path / 'empty')
  assert 'no images in folder' in one_line_error(
      lambda: modes.translate(exp, state, evaluator, input_dir=str(tmp_path / 'empty')))

  # Sample metrics of a translation model: its translations against the target domain.
  fn = feature_extractors.raw(exp.info.target_shape)
  reference = exp.eval_source
  got = sample_metrics.evaluate_samples(evaluator, state, ['fid'], 297, 100, fn, reference,
                                        suffix='_raw', reference_field='y')
  np.testing.assert_allclose(got['eval/fid_raw'], raw_fid(out, y), rtol=1e-6)
  assert got['eval/fid_raw'] < 0.5 * raw_fid(x, y)
  with pytest.raises(ValueError, match='ask for at most 297'):
    sample_metrics.check_translations(298, exp.eval_source, reference)


@pytest.fixture(scope='module')
def cyclegan_run(tmp_path_factory):
  """120 steps at a constant learning rate, checkpoints at 60 and 120; buffers of 20 (a
  batch of 16 fills, then replays), so both phases of the buffer are in the checkpoints."""
  config = short(cyclegan_digits_invert, 120, checkpoint_every=60)
  config.model.cyclegan.pool_size = 20
  for o in (config.train.optimizer, config.model.d_optimizer):
    o.schedule = 'constant'
  workdir = str(tmp_path_factory.mktemp('cyclegan') / 'run')
  loop.train_and_evaluate(config, workdir, translation.FAMILY, DEVICES)
  return config, workdir


def test_cyclegan_beats_the_identity_on_the_known_inverse(cyclegan_run):
  config, workdir = cyclegan_run
  final = [r for r in read_metrics(workdir) if 'eval/cycle_a' in r][-1]
  assert final['eval/cycle_a'] < 0.25 and final['eval/cycle_b'] < 0.25, final
  exp = experiment.build(config, workdir, translation.FAMILY, DEVICES)
  state, _ = exp.restore_or_init()
  parts = list(Evaluator(exp).translations(state))
  x, out, y = (np.concatenate([p[k] for p in parts]) for k in ('inputs', 'outputs', 'targets'))
  assert len(out) == 297
  np.testing.assert_allclose(y, -x, atol=1e-6)        # the test domains: B = A inverted
  assert np.abs(out - y).mean() < 0.6 * np.abs(x - y).mean()
  assert raw_fid(out, y) < 0.5 * raw_fid(x, y)


def test_cyclegan_resume_is_exact_with_its_buffers(cyclegan_run, tmp_path):
  """A copy of the run cut back to its step-60 checkpoint, resumed, ends bit-identical."""
  config, straight = cyclegan_run
  resumed = str(tmp_path / 'resumed')
  shutil.copytree(straight, resumed, ignore=shutil.ignore_patterns('lock'))
  shutil.rmtree(os.path.join(resumed, 'checkpoints', '120'))
  mid = read_checkpoint(resumed, 60)['model_state']['pools']
  loop.train_and_evaluate(config, resumed, translation.FAMILY, DEVICES)
  a, b = read_checkpoint(straight, 120), read_checkpoint(resumed, 120)
  assert int(mid['b']['count']) == int(a['model_state']['pools']['b']['count']) == 20
  assert not np.array_equal(mid['b']['images'], a['model_state']['pools']['b']['images'])
  fa, fb = flat(a), flat(b)
  assert sorted(fa) == sorted(fb) and any('pools' in name for name in fa)
  for name in fa:
    np.testing.assert_array_equal(fa[name], fb[name], err_msg=name)
