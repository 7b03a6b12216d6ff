"""Mode collapse per GAN loss on a 2-D Gaussian mixture: modes covered and high-quality share.

  python -m benchmarks.gan_toy_losses --steps=3000 [--dataset=grid25] [--seeds=0,1]

Trains the default MLP GAN (experiments/configs/gan/mlp_eight_gaussians.py) once per loss
variant for a fixed number of generator steps, then scores 2500 samples of the EMA generator
as VEEGAN does (Srivastava et al., 2017): a sample is high quality within 3 standard
deviations of its nearest mode; a mode is covered by at least one high-quality sample.
Prints a Markdown table (mean over seeds) and one JSON line per run.
"""
import json
import tempfile
import time

import jax
import numpy as np
from absl import app, flags

from experiments.configs.gan import mlp_eight_gaussians
from experiments.families import FAMILIES
from gdm.metrics import mode_coverage
from gdm.train import experiment, loop

FLAGS = flags.FLAGS
flags.DEFINE_integer('steps', 3000, 'Generator steps per run.')
flags.DEFINE_string('dataset', 'eight_gaussians', 'eight_gaussians | grid25')
flags.DEFINE_string('seeds', '0', 'Comma-separated seeds.')
flags.DEFINE_integer('num_samples', 2500, 'Samples scored per run.')

# name -> model overrides; WGAN variants use 5 critic steps and Adam(1e-4, 0.5, 0.9).
VARIANTS = {
    'minimax (saturating)': dict(loss='minimax'),
    'non-saturating': dict(loss='non_saturating'),
    'non-saturating + R1 (gamma=1)': dict(loss='non_saturating', regularizer='r1',
                                          penalty_weight=1.0),
    'lsgan': dict(loss='lsgan'),
    'hinge': dict(loss='hinge'),
    'hinge + spectral norm': dict(loss='hinge', spectral_norm=True),
    'rpgan (relativistic pairing)': dict(loss='rpgan'),
    'ragan (relativistic average)': dict(loss='ragan'),
    'wgan (clip 0.01, n_critic 5)': dict(loss='wgan', weight_clip=0.01, n_critic=5),
    'wgan-gp (lambda 10, n_critic 5)': dict(loss='wgan', regularizer='gradient_penalty',
                                            penalty_weight=10.0, n_critic=5),
}


def make_config(overrides: dict, steps: int, dataset: str, seed: int):
  config = mlp_eight_gaussians.get_config()
  config.seed = seed
  config.data.name = dataset
  config.model.update(overrides)
  if config.model.n_critic > 1:
    for opt in (config.train.optimizer, config.model.d_optimizer):
      opt.learning_rate, opt.b1, opt.b2 = 1e-4, 0.5, 0.9
  config.train.num_steps = steps
  return config


def run(config, num_samples: int) -> dict:
  with tempfile.TemporaryDirectory() as workdir:
    exp = experiment.build(config, workdir, FAMILIES['gan'])
    state, _ = exp.restore_or_init()
    train_step = loop.compile_train_step(exp)
    start = time.perf_counter()
    for step in range(config.train.num_steps):
      state, _ = train_step(state, exp.train_batch(step, 1), exp.base_key)
    jax.block_until_ready(state)
    seconds = time.perf_counter() - start
    sample = jax.jit(exp.model.sample, static_argnums=3)
    x = np.asarray(sample(state.ema_params, state.model_state, jax.random.PRNGKey(123),
                          num_samples, {}))
  centers, std = mode_coverage.MIXTURES[config.data.name]
  return {**mode_coverage.coverage(x, centers, std), 'train_s': round(seconds, 1)}


def main(argv):
  del argv
  seeds = [int(s) for s in FLAGS.seeds.split(',')]
  rows = []
  for name, overrides in VARIANTS.items():
    results = []
    for seed in seeds:
      r = run(make_config(overrides, FLAGS.steps, FLAGS.dataset, seed), FLAGS.num_samples)
      print(json.dumps({'variant': name, 'seed': seed, **r}), flush=True)
      results.append(r)
    rows.append((name, np.mean([r['modes'] for r in results]),
                 np.mean([r['high_quality'] for r in results]),
                 np.mean([r['train_s'] for r in results])))
  total = len(mode_coverage.MIXTURES[FLAGS.dataset][0])
  print(f'\n{FLAGS.dataset}, {FLAGS.steps} generator steps, seeds {FLAGS.seeds}, '
        f'{FLAGS.num_samples} EMA samples')
  print(f'| loss | modes covered (of {total}) | high-quality share | train s |')
  print('| --- | --- | --- | --- |')
  for name, modes, hq, secs in rows:
    print(f'| {name} | {modes:.1f} | {hq:.3f} | {secs:.0f} |')


if __name__ == '__main__':
  app.run(main)
