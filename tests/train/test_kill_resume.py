"""Fault injection: SIGKILL a training run at random moments (saves included) 20 times,
resume each time, and end with parameters bit-identical to an uninterrupted run."""
import os
import random
import subprocess
import time

import numpy as np
import pytest

from tests.helpers import REPO, flat, launcher_cmd, read_checkpoint, xla_flags

KILLS = 20
STEPS = 600
ARGS = ['--config=experiments/configs/autoencoder/mlp_moons.py:smoke',
        f'--config.train.num_steps={STEPS}', '--config.train.checkpoint_every=4',
        '--config.train.log_every=4', '--config.train.eval_every=0',
        '--config.train.sample_every=0', '--config.train.keep_checkpoints=2']
ENV = dict(os.environ, XLA_FLAGS=xla_flags(1, optimized=True))   # 600 steps


def _lines(path) -> int:
  if not os.path.exists(path):
    return 0
  with open(path) as f:
    return sum(1 for _ in f)


@pytest.mark.long
def test_twenty_random_kills_resume_bit_identically(tmp_path):
  reference = str(tmp_path / 'reference')
  out = subprocess.run(launcher_cmd('autoencoder', reference, *ARGS), cwd=REPO, env=ENV,
                       capture_output=True, text=True, timeout=600)
  assert out.returncode == 0, out.stderr[-3000:]

  workdir = str(tmp_path / 'killed')
  metrics = os.path.join(workdir, 'metrics.jsonl')
  rng = random.Random(20261201)
  kills = 0
  while kills < KILLS:
    seen = _lines(metrics)
    proc = subprocess.Popen(launcher_cmd('autoencoder', workdir, *ARGS), cwd=REPO, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and _lines(metrics) <= seen and proc.poll() is None:
      time.sleep(0.02)
    time.sleep(rng.uniform(0.0, 0.4))        # somewhere in the steps and saves that follow
    if proc.poll() is not None:
      _, err = proc.communicate()
      assert proc.returncode == 0, err[-3000:]
      break                                   # finished before the kill: the run is done
    proc.kill()
    proc.wait()
    kills += 1
  assert kills >= KILLS // 2, kills          # most kills landed before the run could finish
  out = subprocess.run(launcher_cmd('autoencoder', workdir, *ARGS), cwd=REPO, env=ENV,
                       capture_output=True, text=True, timeout=600)
  assert out.returncode == 0, out.stderr[-3000:]
  a, b = read_checkpoint(reference, STEPS), read_checkpoint(workdir, STEPS)
  for part in ('params', 'opt_state', 'ema_params'):
    fa, fb = flat(a[part]), flat(b[part])
    assert fa.keys() == fb.keys()
    for k in fa:
      np.testing.assert_array_equal(fa[k], fb[k], err_msg=f'{part}{k}')
