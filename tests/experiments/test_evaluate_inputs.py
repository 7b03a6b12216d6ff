"""experiments.evaluate checks every input file before it draws a sample: before, a bad
--ref_stats was found only after generating every sample (hours at 50,000), and bad weights
or a broken run.json were tracebacks."""
import json
import os
import pickle
import subprocess
import sys
import time

import jax
import numpy as np
import pytest

from experiments.families import FAMILIES
from gdm.train import loop
from gdm.train.writer import read_metrics
from tests.helpers import REPO, tiny_config, tiny_image_config, xla_flags

ONE = jax.devices()[:1]


def evaluate(workdir, *args):
  env = dict(os.environ, XLA_FLAGS=xla_flags(1))
  start = time.monotonic()
  out = subprocess.run([sys.executable, '-m', 'experiments.evaluate', f'--workdir={workdir}',
                        *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
  return out, time.monotonic() - start


def one_line(out) -> str:
  assert out.returncode == 2, out.stderr[-3000:]
  assert 'Traceback' not in out.stderr, out.stderr[-3000:]
  return out.stderr.strip().splitlines()[-1]


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
  moons = str(tmp_path_factory.mktemp('moons'))
  loop.train_and_evaluate(tiny_config(num_steps=4), moons, FAMILIES['autoencoder'], ONE)
  digits = str(tmp_path_factory.mktemp('digits'))
  loop.train_and_evaluate(tiny_image_config(num_steps=4), digits, FAMILIES['autoencoder'], ONE)
  return {'moons': moons, 'digits': digits, 'files': str(tmp_path_factory.mktemp('files'))}


def _stats_file(folder, name, **arrays):
  path = os.path.join(folder, name)
  if name.endswith('.npy'):
    np.save(path, arrays['mu'])
  else:
    np.savez(path, **arrays)
  return path


GOOD = dict(mu=np.zeros(2), sigma=np.eye(2))


@pytest.mark.parametrize('name, arrays, message', [
    ('missing.npz', None, 'does not exist'),
    ('stats.npy', GOOD, 'is not an .npz archive (a .npy holds one array'),
    ('pickled.npz', dict(mu=np.array([{'a': 1}], dtype=object), sigma=np.eye(2)),
     'holds pickled objects'),
    ('keys.npz', dict(mean=np.zeros(2), cov=np.eye(2)), 'FID statistics need keys mu and sigma'),
    ('nan.npz', dict(mu=np.array([0.0, np.nan]), sigma=np.eye(2)), 'holds non-finite values'),
    ('dim.npz', dict(mu=np.zeros(3), sigma=np.eye(3)), 'are not statistics of dimension 2'),
    ('asym.npz', dict(mu=np.zeros(2), sigma=np.array([[1.0, 0.5], [0.0, 1.0]])),
     'sigma is not symmetric'),
])
def test_bad_reference_statistics_fail_before_any_sample(runs, name, arrays, message):
  path = (os.path.join(runs['files'], name) if arrays is None else
          _stats_file(runs['files'], name, **arrays))
  before = len(read_metrics(runs['moons']))
  out, _ = evaluate(runs['moons'], '--features=raw', '--metrics=fid', '--num_samples=100000',
                    f'--ref_stats={path}')
  line = one_line(out)
  assert message in line and '--ref_stats' in line, line
  assert len(read_metrics(runs['moons'])) == before          # nothing sampled or written


def test_good_reference_statistics_are_used(runs):
  path = _stats_file(runs['files'], 'good.npz', **GOOD)
  out, _ = evaluate(runs['moons'], '--features=raw', '--metrics=fid', '--num_samples=32',
                    f'--ref_stats={path}')
  assert out.returncode == 0, out.stderr[-3000:]
  assert 'eval/fid_raw' in out.stdout


@pytest.mark.parametrize('kind, message', [
    ('missing', 'does not exist'), ('npy', 'is not an .npz archive'),
    ('text', 'is not an .npz archive'), ('pickle', 'is not an .npz archive'),
    ('wrong', "Inception weights: missing tensor"),
])
def test_bad_inception_weights_are_one_line_errors(runs, kind, message):
  path = os.path.join(runs['files'], f'weights_{kind}')
  if kind == 'npy':
    path += '.npy'
    np.save(path, np.zeros(3))
  elif kind == 'text':
    with open(path, 'w') as f:
      f.write('not weights')
  elif kind == 'pickle':
    with open(path, 'wb') as f:
      pickle.dump({'conv': np.zeros(3)}, f)
  elif kind == 'wrong':
    path += '.npz'
    np.savez(path, some_tensor=np.zeros(3, np.float32))
  out, seconds = evaluate(runs['digits'], f'--inception_weights={path}', '--metrics=fid',
                          '--num_samples=50000')
  line = one_line(out)
  assert message in line, line
  assert seconds < 120


def test_ref_stats_output_is_never_overwritten(runs):
  path = _stats_file(runs['files'], 'existing.npz', **GOOD)
  out, _ = evaluate(runs['moons'], '--features=raw', '--metrics=fid', '--mode=ref_stats',
                    f'--ref_stats={path}')
  assert 'exists; remove it or choose another path' in one_line(out)
  np.testing.assert_array_equal(np.load(path)['sigma'], np.eye(2))


def test_a_run_json_without_family(runs, tmp_path):
  workdir = str(tmp_path / 'broken')
  os.makedirs(workdir)
  with open(os.path.join(workdir, 'config.json'), 'w') as f:
    json.dump({}, f)
  with open(os.path.join(workdir, 'run.json'), 'w') as f:
    json.dump({'info': {}}, f)
  out, _ = evaluate(workdir, '--features=raw')
  assert 'run.json names no family' in one_line(out)
