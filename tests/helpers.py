"""Small shared pieces for tests: configs and checkpoint reading."""
import os
import subprocess
import sys

import numpy as np
import orbax.checkpoint as ocp
import pytest

from experiments.configs.autoencoder import conv_digits, mlp_moons
from tests.xla_test_flags import xla_flags  # noqa: F401  (re-exported for tests)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tiny_config(num_steps=12, **train):
  """MLP autoencoder on moons: compiles in seconds."""
  config = mlp_moons.get_config('smoke')
  config.train.num_steps = num_steps
  config.train.update(train)
  return config


def tiny_image_config(num_steps=8):
  config = conv_digits.get_config('smoke')
  config.train.num_steps = num_steps
  return config


def random_like(shapes, rng: np.random.Generator):
  """Random arrays shaped like an eval_shape'd params tree: kernels ~ N(0, 1/fan_in), other
  leaves ~ N(0, 0.1^2). Lets tests skip compiling flax's initialisers (seconds on CPU)."""
  import jax
  import jax.numpy as jnp

  def fill(path, leaf):
    kernel = 'kernel' in jax.tree_util.keystr(path)
    std = 1.0 / np.sqrt(np.prod(leaf.shape[:-1])) if kernel else 0.1
    return jnp.asarray(rng.normal(scale=std, size=leaf.shape), leaf.dtype)

  return jax.tree_util.tree_map_with_path(fill, shapes)


def read_checkpoint(workdir: str, step: int) -> dict:
  """A saved train state as nested dicts of numpy arrays, whatever devices wrote it."""
  import jax
  path = os.path.join(workdir, 'checkpoints', str(step), 'state')
  ckptr = ocp.PyTreeCheckpointer()
  meta = ckptr.metadata(path).item_metadata.tree
  args = jax.tree.map(lambda _: ocp.RestoreArgs(restore_type=np.ndarray), meta)
  return ckptr.restore(path, restore_args=args)


def flat(tree) -> dict[str, np.ndarray]:
  import jax
  leaves = jax.tree_util.tree_flatten_with_path(tree)[0]
  return {jax.tree_util.keystr(p): np.asarray(v) for p, v in leaves}


def launcher_cmd(family: str, workdir: str, *args: str) -> list[str]:
  return [sys.executable, '-m', f'experiments.{family}', f'--workdir={workdir}', *args]


def run_launcher(family, workdir, *args, env=None, timeout=300):
  env = dict(os.environ if env is None else env)
  env['XLA_FLAGS'] = xla_flags(1)
  return subprocess.run(launcher_cmd(family, workdir, *args), cwd=REPO, env=env,
                        capture_output=True, text=True, timeout=timeout)


def one_line_error(fn) -> str:
  """The message of the ValueError fn() raises, checked to be one line."""
  with pytest.raises(ValueError) as e:
    fn()
  assert '\n' not in str(e.value)
  return str(e.value)


def snapshot(workdir: str) -> dict:
  """(size, mtime) of every file and folder under workdir: equal before and after = nothing
  written there."""
  out = {}
  for root, dirs, files in os.walk(workdir):
    for name in files + dirs:
      p = os.path.join(root, name)
      out[p] = (os.path.getsize(p), os.path.getmtime(p))
  return out
