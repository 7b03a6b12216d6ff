"""What --mode=sample returns, against the truth: every family's baseline recipe trained on
the `gaussian` toy (covariance [[2, 1.2], [1.2, 1]]), then the mean and covariance of its
samples; and the EBM recipe's mode coverage on eight_gaussians.

  python -m benchmarks.sample_moments [--runs=ebm,ebm_before,vae] [--num_samples=4000] [--seeds=0,1]

Each run trains with the launcher's code (gdm.train.loop.train_and_evaluate, the config's
own schedule unless --steps is given) and draws --num_samples with the EMA params as
--mode=sample does (Evaluator.sample). Errors are gdm.metrics.distribution.moment_errors:
max |mean error| and max |cov error| / 2 (the largest variance). Prints one JSON line per
run and a Markdown table.
"""
import json
import tempfile
import time

import numpy as np
from absl import app, flags

from experiments.configs.autoencoder import mlp_moons
from experiments.configs.autoregressive import made_eight_gaussians
from experiments.configs.diffusion import ddpm_toy, edm_toy
from experiments.configs.ebm import toy as ebm_toy
from experiments.configs.flow import maf_toy2d
from experiments.configs.gan import mlp_eight_gaussians
from experiments.configs.vae import gaussian_toy
from experiments.families import FAMILIES
from gdm.data import toy
from gdm.metrics import distribution, mode_coverage
from gdm.train import experiment, loop
from gdm.train.evaluation import Evaluator

FLAGS = flags.FLAGS
flags.DEFINE_string('runs', '', 'Comma-separated names of RUNS (default: all).')
flags.DEFINE_integer('num_samples', 4000, 'Samples drawn per run.')
flags.DEFINE_string('seeds', '0', 'Comma-separated seeds.')
flags.DEFINE_integer('steps', 0, 'Train steps (0: each config\'s own).')

# The EBM recipe before issue 16: IGEBM-style noise 0.1 at step 0.01, alpha 0.1, a 10,000
# buffer with 5% restarts, 200 sampling steps.
EBM_BEFORE = {'model.sgld.kind': 'decoupled', 'model.alpha': 0.1, 'model.buffer.size': 10_000,
              'model.buffer.reinit_share': 0.05, 'model.sampling.steps': 200}

# name -> (family, config module, dotted overrides, data set)
RUNS = {
    'vae': ('vae', gaussian_toy, {}, 'gaussian'),
    'vae_decoder_mean': ('vae', gaussian_toy, {'sample.decoder_mean': True}, 'gaussian'),
    'flow_maf': ('flow', maf_toy2d, {}, 'gaussian'),
    'diffusion_ddpm_ancestral': ('diffusion', ddpm_toy, {}, 'gaussian'),
    'diffusion_edm_heun': ('diffusion', edm_toy, {}, 'gaussian'),
    'autoregressive_made': ('autoregressive', made_eight_gaussians, {}, 'gaussian'),
    'ebm': ('ebm', ebm_toy, {}, 'gaussian'),
    'ebm_before': ('ebm', ebm_toy, EBM_BEFORE, 'gaussian'),
    # Which part of the old recipe: its energy sampled with 1000 steps, then also its
    # training chains replaced (only the decoupled noise 0.1 and alpha 0.1 left).
    'ebm_before_sampled_longer': ('ebm', ebm_toy, {**EBM_BEFORE, 'model.sampling.steps': 1000},
                                  'gaussian'),
    'ebm_before_new_buffer': ('ebm', ebm_toy, {**EBM_BEFORE, 'model.sampling.steps': 1000,
                                               'model.buffer.size': 1024,
                                               'model.buffer.reinit_share': 0.01}, 'gaussian'),
    'gan': ('gan', mlp_eight_gaussians, {}, 'gaussian'),
    'autoencoder_2d_codes': ('autoencoder', mlp_moons, {'model.latent_dim': 2}, 'gaussian'),
    'ebm_eight_gaussians': ('ebm', ebm_toy, {}, 'eight_gaussians'),
    'ebm_before_eight_gaussians': ('ebm', ebm_toy, EBM_BEFORE, 'eight_gaussians'),
}


def make_config(module, overrides: dict, data: str, seed: int, steps: int):
  config = module.get_config()
  config.update_from_flattened_dict({'data.name': data, 'seed': seed, **overrides})
  if steps:
    t = config.train
    t.num_steps = t.log_every = t.eval_every = t.checkpoint_every = t.sample_every = steps
  return config


def run(family: str, config, num_samples: int) -> dict:
  with tempfile.TemporaryDirectory() as workdir:
    start = time.perf_counter()
    exp = experiment.build(config, workdir, FAMILIES[family])
    state = loop.train(exp)
    seconds = time.perf_counter() - start
    x = Evaluator(exp).sample(state, num_samples)
  out = {'train_s': round(seconds, 1), 'steps': config.train.num_steps}
  if config.data.name == 'gaussian':
    out.update(distribution.moment_errors(x, np.zeros(2), toy.GAUSSIAN_COV))
    out['cov'] = np.round(np.cov(np.asarray(x, np.float64).T), 3).tolist()
  else:
    mixture = mode_coverage.MIXTURES[config.data.name]
    out.update(mode_coverage.coverage(x, *mixture))
    counts = np.asarray(mode_coverage.mode_counts(x, *mixture))
    out['per_mode'] = [int(counts.min()), int(counts.max())]
  return out


def main(argv):
  del argv
  names = [n for n in FLAGS.runs.split(',') if n] or list(RUNS)
  seeds = [int(s) for s in FLAGS.seeds.split(',')]
  rows = []
  for name in names:
    family, module, overrides, data = RUNS[name]
    for seed in seeds:
      r = run(family, make_config(module, overrides, data, seed, FLAGS.steps),
              FLAGS.num_samples)
      print(json.dumps({'run': name, 'seed': seed, **r}), flush=True)
      rows.append((name, seed, r))
  print(f'\n{FLAGS.num_samples} samples per run')
  print('| run | seed | steps | train s | result |')
  print('| --- | --- | --- | --- | --- |')
  for name, seed, r in rows:
    if 'cov_error' in r:
      result = (f"mean error {r['mean_error']:.3f}, cov error {r['cov_error']:.3f}, "
                f"cov {r['cov']}")
    else:
      result = (f"{r['modes']:.0f} modes ({r['per_mode'][0]} to {r['per_mode'][1]} samples "
                f"each), high-quality share {r['high_quality']:.3f}")
    print(f"| {name} | {seed} | {r['steps']} | {r['train_s']:.0f} | {result} |")


if __name__ == '__main__':
  app.run(main)
