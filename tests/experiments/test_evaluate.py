"""Sample metrics and `python -m experiments.evaluate`: known answers, extractors, bad input."""
import json
import os

import jax
import numpy as np
import pytest

from experiments.families import FAMILIES
from gdm.metrics import distribution as dist
from gdm.metrics.inception_weights import expected_shapes
from gdm.train import experiment, feature_extractors, loop, sample_metrics
from gdm.train.evaluation import Evaluator
from gdm.train.writer import read_metrics
from tests.helpers import REPO, tiny_config

ONE = jax.devices()[:1]


def run_evaluate(workdir, *args):
  import subprocess
  import sys
  from tests.helpers import xla_flags
  env = {**os.environ, 'XLA_FLAGS': xla_flags(1)}
  return subprocess.run([sys.executable, '-m', 'experiments.evaluate', f'--workdir={workdir}',
                         *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope='module')
def moons_run(tmp_path_factory):
  workdir = str(tmp_path_factory.mktemp('moons'))
  loop.train_and_evaluate(tiny_config(num_steps=4), workdir, FAMILIES['autoencoder'], ONE)
  return workdir


def test_raw_features_give_the_direct_computation(moons_run):
  config, family = experiment.load_run(moons_run)
  assert family == 'autoencoder'
  exp = experiment.build(config, moons_run, FAMILIES[family], ONE)
  state, _ = exp.restore_or_init()
  evaluator = Evaluator(exp)
  reference = exp.train_source
  got = sample_metrics.evaluate_samples(
      evaluator, state, ['fid', 'kid', 'pr'], 40, 16, feature_extractors.raw(exp.info.shape),
      reference, kid_subsets=5, kid_subset_size=20, pr_k=3, suffix='_raw')
  fake = np.concatenate([evaluator.sample(state, n, index=i) for i, n in enumerate((16, 16, 8))])
  real = reference[np.arange(40)]['x']
  np.testing.assert_allclose(got['eval/fid_raw'], dist.frechet_distance(
      *dist.gaussian_stats(fake), *dist.gaussian_stats(real)), rtol=1e-9)
  np.testing.assert_allclose((got['eval/kid_raw'], got['eval/kid_std_raw']),
                             dist.kernel_inception_distance(fake, real, 5, 20), rtol=1e-9)
  pr = dist.precision_recall(real, fake, 3)
  assert (got['eval/precision_raw'], got['eval/recall_raw']) == (pr['precision'], pr['recall'])


def test_ref_stats_file_gives_the_same_fid(moons_run, tmp_path):
  stats = str(tmp_path / 'ref.npz')
  out = run_evaluate(moons_run, '--mode=ref_stats', f'--ref_stats={stats}', '--features=raw',
                     '--num_samples=40', '--metrics=fid')
  assert out.returncode == 0, out.stderr[-2000:]
  out = run_evaluate(moons_run, '--features=raw', '--num_samples=40', '--metrics=fid',
                     '--batch_size=16', f'--ref_stats={stats}')
  assert out.returncode == 0, out.stderr[-2000:]
  from_file = json.loads(out.stdout.strip().splitlines()[-1])['eval/fid_raw']
  out = run_evaluate(moons_run, '--features=raw', '--num_samples=40', '--metrics=fid',
                     '--batch_size=16')
  on_the_fly = json.loads(out.stdout.strip().splitlines()[-1])['eval/fid_raw']
  assert from_file == pytest.approx(on_the_fly, rel=1e-9)
  assert read_metrics(moons_run)[-1]['eval/fid_raw'] == on_the_fly


def test_domain_classifier_features_end_to_end(tmp_path):
  from experiments.configs.classifier import digits as clf_digits
  from tests.helpers import tiny_image_config
  clf = str(tmp_path / 'clf')
  state = loop.train_and_evaluate(clf_digits.get_config('smoke'), clf, FAMILIES['classifier'], ONE)
  assert int(state.step) == 8
  run = str(tmp_path / 'ae')
  config = tiny_image_config(num_steps=4)
  config.data.image_size = 0          # the classifier was trained on 8x8 digits
  config.model.channels = (8,)
  loop.train_and_evaluate(config, run, FAMILIES['autoencoder'], ONE)
  out = run_evaluate(run, '--features=domain', f'--domain_classifier={clf}',
                     '--num_samples=32', '--batch_size=16', '--kid_subsets=3',
                     '--kid_subset_size=16', '--is_splits=2')
  assert out.returncode == 0, out.stderr[-2000:]
  result = json.loads(out.stdout.strip().splitlines()[-1])
  assert {'eval/fid_domain', 'eval/kid_domain', 'eval/is_domain', 'eval/precision_domain',
          'eval/recall_domain'} <= set(result)
  assert result['eval/fid_domain'] >= 0 and 1 <= result['eval/is_domain'] <= 10


def test_inception_features_on_synthetic_weights(tmp_path):
  rng = np.random.default_rng(0)
  weights = {k: rng.normal(0, 0.05, size=s).astype(np.float32)
             for k, s in expected_shapes().items()}
  for k in weights:
    if k.endswith('running_var'):
      weights[k] = np.ones_like(weights[k])
  path = str(tmp_path / 'inception.npz')
  np.savez(path, **weights)
  fn = feature_extractors.make('inception', inception_weights=path)
  pool, logits = fn(rng.integers(0, 256, size=(2, 16, 16, 1), dtype=np.uint8))
  assert pool.shape == (2, 2048) and logits.shape == (2, 1008)
  assert np.isfinite(pool).all()


@pytest.mark.parametrize('args, message', [
    (['--metrics=fid,fdd'], "unknown metric 'fdd' in --metrics"),
    (['--features=inception'], '--features=inception needs an image dataset'),
    (['--features=raw', '--metrics=is'], '--metrics=is needs class logits'),
    (['--features=raw', '--metrics=fid', '--mode=ref_stats'], '--mode=ref_stats needs --ref_stats'),
    (['--features=domain'], '--features=domain needs --domain_classifier'),
    (['--features=pixels'], "unknown features 'pixels' in --features"),
    (['--features=raw', '--metrics=kid', '--num_samples=10'], '--kid_subset_size=1000'),
])
def test_bad_requests_are_one_line_errors(moons_run, args, message):
  out = run_evaluate(moons_run, *args)
  assert out.returncode == 2
  assert out.stderr.strip().splitlines()[-1].startswith('error: ')
  assert message in out.stderr.strip().splitlines()[-1], out.stderr[-500:]


def test_not_a_workdir(tmp_path):
  out = run_evaluate(str(tmp_path), '--features=raw')
  assert out.returncode == 2 and 'is not a gdm workdir' in out.stderr
