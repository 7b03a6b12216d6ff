"""A tiny trained image run with samples, for the human-evaluation tests."""
import os
import subprocess
import sys

from tests.helpers import REPO, xla_flags

SMOKE = '--config=experiments/configs/autoencoder/conv_digits.py:smoke'


def trained_run(tmp_path_factory) -> str:
  workdir = str(tmp_path_factory.mktemp('rated'))
  env = dict(os.environ, XLA_FLAGS=xla_flags(1, optimized=True))
  for mode in ('train', 'sample'):
    out = subprocess.run([sys.executable, '-m', 'experiments.autoencoder',
                          f'--workdir={workdir}', SMOKE, f'--mode={mode}'], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
  return workdir
