"""Two processes on localhost through jax.distributed (gloo) give what one process gives."""
import os
import socket
import subprocess

import numpy as np

from gdm.train.writer import read_metrics
from tests.helpers import REPO, flat, launcher_cmd, read_checkpoint, xla_flags

ARGS = ['--config=experiments/configs/autoencoder/mlp_moons.py:smoke',
        '--config.train.num_steps=6', '--config.train.checkpoint_every=3',
        '--config.train.log_every=1', '--config.train.eval_every=3',
        '--config.train.sample_every=6']


def free_port() -> int:
  with socket.socket() as s:
    s.bind(('localhost', 0))
    return s.getsockname()[1]


def env_with_devices(n: int) -> dict:
  return {**os.environ, 'XLA_FLAGS': xla_flags(n, optimized=True)}


def test_two_processes_match_one(tmp_path):
  two, one = str(tmp_path / 'two'), str(tmp_path / 'one')
  port = free_port()
  procs = [subprocess.Popen(
      launcher_cmd('autoencoder', two, *ARGS, f'--coordinator_address=localhost:{port}',
                   '--num_processes=2', f'--process_id={i}'),
      cwd=REPO, env=env_with_devices(1), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
      text=True) for i in range(2)]
  outs = [p.communicate(timeout=300)[0] for p in procs]
  assert [p.returncode for p in procs] == [0, 0], outs[0][-3000:] + outs[1][-3000:]
  single = subprocess.run(launcher_cmd('autoencoder', one, *ARGS), cwd=REPO,
                          env=env_with_devices(2), capture_output=True, text=True, timeout=300)
  assert single.returncode == 0, single.stderr[-3000:]

  # Only process 0 wrote logs: one line per logged step, not two.
  m2, m1 = read_metrics(two), read_metrics(one)
  assert [m['step'] for m in m2] == [m['step'] for m in m1]
  for a, b in zip(m2, m1):
    for k in set(b) - {'step_time_s'}:    # wall time differs; everything computed agrees
      np.testing.assert_allclose(a[k], b[k], rtol=1e-5, atol=1e-6, err_msg=k)
  p2, p1 = flat(read_checkpoint(two, 6)['params']), flat(read_checkpoint(one, 6)['params'])
  assert p2.keys() == p1.keys()
  for k in p1:
    np.testing.assert_allclose(p2[k], p1[k], rtol=1e-5, atol=1e-6, err_msg=k)
