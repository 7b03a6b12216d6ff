"""The README's pictures: each job of docs/make_pictures.py has its committed PNG, small,
shown in the README next to the commands that made it; and the script runs (on a :smoke
config here)."""
import importlib.util
import os
import subprocess
import sys

import numpy as np
from PIL import Image

from tests.helpers import REPO, xla_flags

SCRIPT = os.path.join(REPO, 'docs', 'make_pictures.py')
MAX_BYTES = 60_000


def _script():
  spec = importlib.util.spec_from_file_location('make_pictures', SCRIPT)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module


def test_every_picture_is_committed_small_and_in_the_readme():
  script = _script()
  readme = open(os.path.join(REPO, 'README.md')).read()
  assert len(script.JOBS) >= 9 and {job.family for job in script.JOBS} == set(script.DEFAULTS)
  for job in script.JOBS:
    path = os.path.join(script.PICTURES, f'{job.name}.png')
    assert os.path.exists(path), f'{path} missing: python docs/make_pictures.py --only={job.name}'
    assert os.path.getsize(path) <= MAX_BYTES, (path, os.path.getsize(path))
    assert min(Image.open(path).size) >= 256
    assert f'docs/pictures/{job.name}.png' in readme
    for command in job.commands(f'/tmp/{job.workdir}'):
      assert ' '.join(command) in readme, ' '.join(command)


def test_the_script_makes_a_picture_from_a_smoke_run(tmp_path):
  env = {**os.environ, 'XLA_FLAGS': xla_flags(1)}
  out = subprocess.run([sys.executable, SCRIPT, '--smoke', '--only=autoencoder',
                        f'--out={tmp_path}'], cwd=REPO, env=env, capture_output=True,
                       text=True, timeout=600)
  assert out.returncode == 0, out.stderr[-3000:]
  assert '--config=experiments/configs/autoencoder/conv_digits.py:smoke' in out.stdout
  picture = np.asarray(Image.open(tmp_path / 'autoencoder.png'))
  assert min(picture.shape[:2]) >= 256 and picture.max() > 0
