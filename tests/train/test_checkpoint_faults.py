"""Checkpoints that cannot be written or read: one-line errors, bounded exits, nothing lost.

Before: a failed background save hung the process at exit forever (orbax's threads wait for
a save that never finishes), a full disk gave a 440-line traceback, a truncated data file
in the newest checkpoint a 155-line tensorstore traceback, and a missing _METADATA was
reported as "does not match the model built from this config"."""
import os
import re
import subprocess
import sys
import time

import jax
import numpy as np
import pytest

from experiments.families import FAMILIES
from gdm.train import experiment, loop
from tests.helpers import REPO, flat, read_checkpoint, tiny_config, xla_flags

ONE = jax.devices()[:1]
AE = FAMILIES['autoencoder']
SMOKE = '--config=experiments/configs/autoencoder/mlp_moons.py:smoke'
DROP = ['setpriv', '--bounding-set=-dac_override,-dac_read_search',
        '--inh-caps=-dac_override,-dac_read_search']


def launch(workdir, *args, prefix=(), module=('-m', 'experiments.autoencoder')):
  env = dict(os.environ, XLA_FLAGS=xla_flags(1))
  start = time.monotonic()
  out = subprocess.run([*prefix, sys.executable, *module, f'--workdir={workdir}', SMOKE, *args],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=240)
  return out, time.monotonic() - start


def one_line_error(out) -> str:
  lines = out.stderr.strip().splitlines()
  assert out.returncode == 2, out.stderr[-3000:]
  assert lines[-1].startswith('error: '), lines[-5:]
  assert 'Traceback' not in out.stderr, out.stderr[-3000:]
  return lines[-1]


def trained(tmp_path, steps=8):
  workdir = str(tmp_path / 'run')
  loop.train_and_evaluate(tiny_config(num_steps=steps, checkpoint_every=4), workdir, AE, ONE)
  return workdir


def test_a_save_failing_in_the_background_stops_the_run_within_seconds(tmp_path):
  workdir = str(tmp_path / 'run')
  out, seconds = launch(workdir, '--config.train.num_steps=400', '--config.train.log_every=1',
                        '--config.train.eval_every=0', '--config.train.sample_every=0',
                        module=('-m', 'tests.fault_launch', '8', 'autoencoder'))
  line = one_line_error(out)
  assert 'saving checkpoint step 8' in line and 'No space left on device' in line
  assert 'the last complete checkpoint (step 4) is intact' in line
  assert seconds < 120
  logged = [int(m) for m in re.findall(r'step +(\d+)/400 ', out.stdout + out.stderr)]
  assert logged and max(logged) < 40                      # it stopped soon after, not at the end
  assert sorted(d for d in os.listdir(os.path.join(workdir, 'checkpoints'))
                if d.isdigit()) == ['4']
  np.testing.assert_equal(read_checkpoint(workdir, 4)['step'], 4)


def test_an_unwritable_checkpoint_directory_fails_before_compiling(tmp_path):
  workdir = trained(tmp_path)
  ckpts = os.path.join(workdir, 'checkpoints')
  os.chmod(ckpts, 0o555)
  before = sorted(os.listdir(workdir))
  try:
    out, seconds = launch(workdir, '--config.train.num_steps=16', prefix=DROP)
  finally:
    os.chmod(ckpts, 0o755)
  line = one_line_error(out)
  assert f'checkpoints cannot be written to {ckpts}: Permission denied' in line
  assert 'compil' not in out.stderr.lower() and seconds < 60
  assert sorted(os.listdir(workdir)) == before     # no config_step file, nothing else
  assert sorted(os.listdir(ckpts)) == ['4', '8']


def _truncate_a_data_file(step_dir):
  """Halves the array data files (OCDBT's d/ folders) of a checkpoint's state."""
  files = [os.path.join(r, f) for r, _, fs in os.walk(os.path.join(step_dir, 'state'))
           for f in fs if os.path.basename(r) == 'd']
  assert files
  for path in files:
    with open(path, 'r+b') as f:
      f.truncate(os.path.getsize(path) // 2)


@pytest.mark.parametrize('damage', ['truncated data file', 'missing _METADATA'])
def test_an_unreadable_newest_checkpoint_is_skipped_and_resume_stays_exact(tmp_path, damage,
                                                                            caplog):
  config = tiny_config(num_steps=12, checkpoint_every=4, eval_every=0, sample_every=0)
  full = loop.train_and_evaluate(config, str(tmp_path / 'full'), AE, ONE)
  workdir = str(tmp_path / 'run')
  loop.train_and_evaluate(tiny_config(num_steps=8, checkpoint_every=4, eval_every=0,
                                      sample_every=0), workdir, AE, ONE)
  newest = os.path.join(workdir, 'checkpoints', '8')
  if damage == 'missing _METADATA':
    os.remove(os.path.join(newest, 'state', '_METADATA'))
  else:
    _truncate_a_data_file(newest)
  exp = experiment.build(config, workdir, AE, ONE)          # no error: it is only skipped
  caplog.set_level('WARNING', logger='gdm')
  resumed = loop.train(exp)
  skips = [r.getMessage() for r in caplog.records if 'skipping checkpoint step 8' in r.message]
  assert len(skips) == 1 and '\n' not in skips[0] and 'cannot be read' in skips[0]
  assert 'does not match' not in skips[0]
  moved = os.path.join(workdir, 'checkpoints_unreadable', '8')
  assert os.path.isdir(moved)                                # set aside, not deleted
  a, b = flat(jax.device_get(full.params)), flat(jax.device_get(resumed.params))
  for k in a:
    np.testing.assert_array_equal(a[k], b[k])                # 4 -> 12 equals 0 -> 12


def test_eval_of_a_run_whose_newest_checkpoint_is_unreadable_uses_the_one_before(tmp_path):
  workdir = trained(tmp_path)
  _truncate_a_data_file(os.path.join(workdir, 'checkpoints', '8'))
  out, _ = launch(workdir, '--mode=eval')
  assert out.returncode == 0, out.stderr[-3000:]
  assert 'skipping checkpoint step 8' in out.stderr and '"step": 4' in out.stdout
  assert os.path.isdir(os.path.join(workdir, 'checkpoints', '8'))   # eval moves nothing
