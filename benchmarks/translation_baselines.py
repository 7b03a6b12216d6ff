"""Translation on the embedded tasks: a short training run against the identity and
nearest-neighbour baselines, on the held-out split.

  python -m benchmarks.translation_baselines --steps=300 [--tasks=pix2pix_digits_edges]

Trains each task's config (experiments/configs/translation/) for --steps steps (CycleGAN:
constant learning rate for the first half, then linear to 0, as its config), translates the
297 test inputs with the trained generator and scores them against the known targets:
L1 (share of 255), PSNR (dB), SSIM, and FID / KID (x 1000) of raw pixels in [0, 1] against
the target images.
Baselines: `identity` outputs its input; `nearest` outputs the training target of the nearest
training input in pixel space (paired), or the nearest training image of domain B (unpaired:
there are no pairs to look up). For CycleGAN the cycle errors |F(G(a)) - a| and
|G(F(b)) - b| (shares of the range) come from the run's own evaluation (the identity's are 0
by construction). Prints a Markdown table and one JSON line per row.
"""
import importlib
import json
import tempfile
import time

import numpy as np
from absl import app, flags

from experiments.families import FAMILIES
from gdm.data import to_uint8
from gdm.metrics import distribution as dist
from gdm.metrics import image as image_metrics
from gdm.train import experiment, loop
from gdm.train.evaluation import Evaluator
from gdm.train.writer import read_metrics

FLAGS = flags.FLAGS
flags.DEFINE_integer('steps', 300, 'Training steps per task.')
flags.DEFINE_list('tasks', ['pix2pix_digits_edges', 'cyclegan_digits_invert'],
                  'Configs in experiments/configs/translation/.')
flags.DEFINE_integer('kid_subsets', 20, 'KID subsets (of 100 images each).')


def short_config(task: str, steps: int):
  config = importlib.import_module(f'experiments.configs.translation.{task}').get_config()
  config.train.update(num_steps=steps, log_every=steps, eval_every=steps,
                      checkpoint_every=steps, sample_every=steps)
  if config.model.kind == 'cyclegan':
    for o in (config.train.optimizer, config.model.d_optimizer):
      o.hold_steps = steps // 2
  return config


def scores(out, target, kid_subsets: int) -> dict:
  """out, target: uint8-valued [N, H, W, C] as float64."""
  flat = lambda v: v.reshape(len(v), -1) / 255  # noqa: E731   (pixels in [0, 1])
  kid, kid_std = dist.kernel_inception_distance(flat(out), flat(target), kid_subsets, 100)
  return {'l1': float(np.abs(out - target).mean() / 255),
          'psnr': float(np.mean(image_metrics.psnr(out, target, 255.0))),
          'ssim': float(np.mean(image_metrics.ssim(out, target, 255.0))),
          'fid_raw': dist.frechet_distance(*dist.gaussian_stats(flat(out)),
                                           *dist.gaussian_stats(flat(target))),
          'kid_raw': kid, 'kid_raw_std': kid_std}


def nearest(queries, keys, values):
  """values[i] of the key nearest (L2) to each query."""
  q, k = queries.reshape(len(queries), -1), keys.reshape(len(keys), -1)
  d = (q ** 2).sum(1)[:, None] - 2 * q @ k.T + (k ** 2).sum(1)[None]
  return values[np.argmin(d, 1)]


def run_task(task: str, steps: int, kid_subsets: int) -> list[dict]:
  config = short_config(task, steps)
  workdir = tempfile.mkdtemp(prefix=f'{task}_')
  start = time.time()
  loop.train_and_evaluate(config, workdir, FAMILIES['translation'])
  seconds = time.time() - start
  exp = experiment.build(config, workdir, FAMILIES['translation'])
  state, _ = exp.restore_or_init()
  parts = list(Evaluator(exp).translations(state))
  f64 = lambda v: np.asarray(to_uint8(v, exp.config.data.pixels)).astype(np.float64)  # noqa: E731
  x, out, y = (f64(np.concatenate([p[k] for p in parts])) for k in ('inputs', 'outputs',
                                                                  'targets'))
  train = exp.train_source[np.arange(len(exp.train_source))]
  if exp.info.pairing == 'paired':
    nn_out = nearest(x, train['x'].astype(np.float64), train['y'].astype(np.float64))
  else:
    b = exp.train_source.domains[1]
    b = b[np.arange(len(b))]['x'].astype(np.float64)
    nn_out = nearest(x, b, b)
  final = [r for r in read_metrics(workdir) if 'eval/loss' in r][-1]
  extra = {k[len('eval/'):]: final[k] for k in ('eval/cycle_a', 'eval/cycle_b') if k in final}
  rows = [dict(task=task, method=f'{config.model.kind}, {steps} steps', seconds=round(seconds),
               **scores(out, y, kid_subsets), **extra),
          dict(task=task, method='identity', **scores(x, y, kid_subsets)),
          dict(task=task, method='nearest neighbour', **scores(nn_out, y, kid_subsets))]
  return rows


def main(argv):
  del argv
  rows = [r for task in FLAGS.tasks for r in run_task(task, FLAGS.steps, FLAGS.kid_subsets)]
  print('| task | method | L1 | PSNR | SSIM | FID (raw) | KID x 1000 (raw) | cycle A / B | train s |')
  print('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  for r in rows:
    cycle = (f"{r['cycle_a']:.3f} / {r['cycle_b']:.3f}" if 'cycle_a' in r else '')
    print(f"| {r['task']} | {r['method']} | {r['l1']:.3f} | {r['psnr']:.2f} | "
          f"{r['ssim']:.3f} | {r['fid_raw']:.2f} | {1e3 * r['kid_raw']:.1f} ± {1e3 * r['kid_raw_std']:.1f} "
          f"| {cycle} | {r.get('seconds', '')} |")
  for r in rows:
    print(json.dumps(r))


if __name__ == '__main__':
  app.run(main)
