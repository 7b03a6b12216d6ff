"""What raters see: real images of a run's dataset, the samples of one or more runs, and
attention checks (pure noise, obviously fake), in a random order per session. Nothing about
an image's source reaches the page: every image is a PNG of the same size and format behind
a random token."""
import dataclasses
import glob
import io
import os
import re
import secrets

import numpy as np
from PIL import Image

from gdm import data as data_lib
from gdm.train.config import parse_run
from gdm.train.workdir import read_run_files


@dataclasses.dataclass(frozen=True)
class Pool:
  real: np.ndarray                 # uint8 [N, H, W, C]
  fakes: dict                      # run (its workdir's absolute path) -> uint8 [M, H, W, C]
  steps: dict                      # run -> the checkpoint step of its samples


def newest_samples(workdir: str) -> tuple[str, int]:
  paths = glob.glob(os.path.join(workdir, 'samples', 'samples_*.npz'))
  steps = [int(m.group(1)) for p in paths
           if (m := re.fullmatch(r'samples_(\d+)\.npz', os.path.basename(p)))]
  if not steps:
    raise ValueError(f'{workdir!r} has no samples: run its launcher with --mode=sample first')
  step = max(steps)
  return os.path.join(workdir, 'samples', f'samples_{step}.npz'), step


def load_pool(workdirs: list[str], num_real: int) -> Pool:
  """Real images from the first run's evaluation split, samples from every run; one-line
  errors for a run with no samples, with vectors, or on another dataset."""
  runs = {}
  for workdir in workdirs:
    config, _ = read_run_files(workdir)
    runs[workdir] = parse_run(config, None, migrate=True)
  first = runs[workdirs[0]]
  fakes, steps = {}, {}
  for workdir, run in runs.items():
    if (run.data.name, run.data.image_size) != (first.data.name, first.data.image_size):
      raise ValueError(f'{workdir!r} was trained on {run.data.name} (size '
                       f'{run.data.image_size}); the first run on {first.data.name}: compare '
                       f'runs of one dataset')
    name = os.path.abspath(workdir)
    path, steps[name] = newest_samples(workdir)
    with np.load(path) as f:
      x = f['x']
    if x.ndim != 4:
      raise ValueError(f'{path} holds {x.shape} arrays: human evaluation is for images')
    fakes[name] = np.asarray(data_lib.to_uint8(x, run.data.pixels))
  source = data_lib.load_source(first.data, first.data.eval_split)
  real = source[np.arange(min(num_real, len(source)))]['x']
  return Pool(real=real, fakes=fakes, steps=steps)


def plan(pool: Pool, per_kind: int, checks: int, rng: np.random.Generator) -> list[tuple]:
  """(token, kind, run, image index) of one session: `per_kind` real images and `per_kind`
  samples of every run, and `checks` attention checks, shuffled."""
  trials = [('real', 'real', int(i)) for i in rng.choice(len(pool.real), per_kind,
                                                          replace=per_kind > len(pool.real))]
  for run, x in pool.fakes.items():
    trials += [('fake', run, int(i)) for i in rng.choice(len(x), per_kind,
                                                         replace=per_kind > len(x))]
  trials += [('check', 'check', int(i)) for i in range(checks)]
  order = rng.permutation(len(trials))
  return [(secrets.token_urlsafe(12),) + trials[i] for i in order]


def image(pool: Pool, kind: str, run: str, index: int, size: int = 256) -> np.ndarray:
  if kind == 'real':
    x = pool.real[index]
  elif kind == 'fake':
    x = pool.fakes[run][index]
  else:   # an attention check: noise no one should call real
    x = np.random.default_rng(index).integers(0, 256, pool.real.shape[1:], dtype=np.uint8)
  scale = max(1, size // x.shape[0])
  return np.repeat(np.repeat(x, scale, 0), scale, 1)


def png(x: np.ndarray) -> bytes:
  buf = io.BytesIO()
  Image.fromarray(x[..., 0] if x.shape[-1] == 1 else x).save(buf, format='PNG')
  return buf.getvalue()
