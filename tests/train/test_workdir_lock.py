"""One writer per workdir: a second run fails at once naming the holder; a dead holder's lock
is taken over. Before, two runs on one workdir interleaved metrics and mixed checkpoints."""
import json
import os
import socket
import subprocess
import time

import jax
import pytest

from experiments.families import FAMILIES
from gdm.train import loop
from gdm.train.workdir import WorkdirLock
from tests.helpers import REPO, launcher_cmd, tiny_config, xla_flags

ONE = jax.devices()[:1]
AE = FAMILIES['autoencoder']


def test_a_second_run_on_a_locked_workdir_fails_in_one_line(tmp_path):
  workdir = str(tmp_path / 'run')
  os.makedirs(workdir)
  holder = WorkdirLock(workdir)
  holder.acquire()
  try:
    with pytest.raises(ValueError) as e:
      loop.train_and_evaluate(tiny_config(num_steps=4), workdir, AE, ONE)
  finally:
    holder.release()
  msg = str(e.value)
  assert '\n' not in msg and 'is in use by another run' in msg
  assert f'pid {os.getpid()} on host {socket.gethostname()}' in msg
  assert sorted(os.listdir(workdir)) == ['lock']             # nothing else was written


def test_the_lock_of_a_dead_process_is_taken_over(tmp_path):
  workdir = str(tmp_path / 'run')
  os.makedirs(workdir)
  with open(os.path.join(workdir, 'lock'), 'w') as f:      # what a killed run leaves behind
    json.dump({'host': socket.gethostname(), 'pid': 999999, 'since': 'yesterday'}, f)
  state = loop.train_and_evaluate(tiny_config(num_steps=4), workdir, AE, ONE)
  assert int(state.step) == 4
  with open(os.path.join(workdir, 'lock')) as f:
    assert json.load(f)['pid'] == os.getpid()
  again = WorkdirLock(workdir)
  again.acquire()                                          # released when the run ended
  again.release()


def test_two_launchers_on_one_workdir(tmp_path):
  workdir = str(tmp_path / 'run')
  args = ['--config=experiments/configs/autoencoder/mlp_moons.py:smoke',
          '--config.train.num_steps=1000000', '--config.train.checkpoint_every=1000000',
          '--config.train.log_every=1', '--config.train.eval_every=0',
          '--config.train.sample_every=0']
  env = dict(os.environ, XLA_FLAGS=xla_flags(1))
  first = subprocess.Popen(launcher_cmd('autoencoder', workdir, *args), cwd=REPO, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
  try:
    metrics = os.path.join(workdir, 'metrics.jsonl')
    deadline = time.time() + 120
    while time.time() < deadline and not os.path.exists(metrics):
      time.sleep(0.2)
    second = subprocess.run(launcher_cmd('autoencoder', workdir, *args), cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
  finally:
    first.kill()
    first.wait()
  assert second.returncode == 2, second.stderr[-2000:]
  last = second.stderr.strip().splitlines()[-1]
  assert last.startswith('error: ') and f'pid {first.pid} on host' in last, last
