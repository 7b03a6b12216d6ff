"""Launcher inputs that used to give tracebacks or write into the workdir: each is now one
line on stderr (exit 2) before JAX compiles anything, and the workdir is left untouched."""
import os
import signal
import subprocess
import time

import pytest

from tests.helpers import REPO, launcher_cmd, run_launcher, xla_flags

SMOKE = '--config=experiments/configs/autoencoder/mlp_moons.py:smoke'


def last_error_line(out) -> str:
  assert out.returncode == 2, out.stderr[-3000:]
  assert 'Traceback' not in out.stderr, out.stderr[-3000:]
  line = out.stderr.strip().splitlines()[-1]
  assert line.startswith('error: '), line
  return line


@pytest.mark.parametrize('args, message', [
    (['--config=nope.py'], "cannot load --config: [Errno 2] No such file or directory: "
                           "'nope.py'"),
    ([SMOKE, '--num_processes=2'], '--num_processes=2 needs --coordinator_address=HOST:PORT'),
    ([SMOKE, '--coordinator_address=host0', '--num_processes=2'],
     "--coordinator_address='host0' must be HOST:PORT"),
    ([SMOKE, '--coordinator_address=host0:1234', '--num_processes=2', '--process_id=2'],
     '--process_id=2 must be in [0, --num_processes=2)'),
    ([SMOKE, '--config.data.image_size=-4'], 'data.image_size=-4 must be >= 0'),
    ([SMOKE, '--config.model.latnet_dim=5'],
     "unknown config key 'model.latnet_dim' (flag --config.model.latnet_dim=5); did you mean "
     'model.latent_dim?'),
    ([SMOKE, '--mode=dream'], "unknown --mode='dream' for autoencoder"),
])
def test_bad_launcher_input_is_one_line_and_writes_nothing(tmp_path, args, message):
  workdir = str(tmp_path / 'w')
  line = last_error_line(run_launcher('autoencoder', workdir, *args))
  assert message in line, line
  assert not os.path.exists(workdir)


def test_a_bad_mode_on_a_trained_workdir_changes_nothing(tmp_path):
  workdir = str(tmp_path / 'w')
  assert run_launcher('autoencoder', workdir, SMOKE, '--config.train.num_steps=4').returncode == 0
  before = {p: os.path.getmtime(os.path.join(workdir, p)) for p in os.listdir(workdir)}
  line = last_error_line(run_launcher('autoencoder', workdir, SMOKE, '--mode=dream',
                                      '--config.train.num_steps=8'))
  assert 'dream' in line
  assert {p: os.path.getmtime(os.path.join(workdir, p)) for p in os.listdir(workdir)} == before


def test_ctrl_c_saves_a_checkpoint_and_exits_with_one_line(tmp_path):
  workdir = str(tmp_path / 'w')
  args = [SMOKE, '--config.train.num_steps=1000000', '--config.train.checkpoint_every=1000000',
          '--config.train.log_every=1', '--config.train.eval_every=0',
          '--config.train.sample_every=0']
  env = dict(os.environ, XLA_FLAGS=xla_flags(1))
  proc = subprocess.Popen(launcher_cmd('autoencoder', workdir, *args), cwd=REPO, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
  metrics = os.path.join(workdir, 'metrics.jsonl')
  deadline = time.time() + 120
  while time.time() < deadline and not (os.path.exists(metrics) and
                                        len(open(metrics).readlines()) >= 3):
    time.sleep(0.2)
  proc.send_signal(signal.SIGINT)
  _, err = proc.communicate(timeout=120)
  assert proc.returncode == 130, err[-3000:]
  assert 'Traceback' not in err and 'KeyboardInterrupt' not in err
  last = err.strip().splitlines()[-1]
  assert last.startswith('error: interrupted (Ctrl-C) at step ') and 'saved step' in last
  steps = [d for d in os.listdir(os.path.join(workdir, 'checkpoints')) if d.isdigit()]
  assert len(steps) == 1 and int(steps[0]) >= 3
