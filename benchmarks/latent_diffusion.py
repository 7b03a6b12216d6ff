"""Latent diffusion vs pixel-space DDPM on 16x16 digits at an equal wall-clock budget.

  python -m benchmarks.latent_diffusion --workdir=/tmp/ldm_bench --budget_s=600

1. trains (or reuses, in WORKDIR) the digits domain classifier at 16x16 and the KL first
   stage of experiments/configs/first_stage/ldm_digits.py;
2. measures train steps/s and samples/s of diffusion/ldm_digits.py on that first stage and
   of the same DDPM and UNet in pixel space (no first stage; attention at the UNet's lowest
   resolution in both), with benchmarks/throughput.py;
3. trains each for budget_s seconds' worth of steps at its measured rate (the realised wall
   time is reported) and, with --charge_first_stage, the latent model for the budget minus
   the first stage's training time;
4. reports domain FID / KID of --num_samples decoded samples against the training split, and
   the first stage's PSNR and rFID (reconstructions of the training split).
Prints one JSON object.
"""
import json
import os
import time

from absl import app, flags

from benchmarks.throughput import sample_rates, train_rates
from experiments.configs.classifier import digits as classifier_digits
from experiments.configs.diffusion import ldm_digits
from experiments.configs.first_stage import ldm_digits as stage_digits
from experiments.families import FAMILIES
from gdm import data as data_lib
from gdm.train import experiment, feature_extractors, loop, sample_metrics
from gdm.train.evaluation import Evaluator
from gdm.train.writer import read_metrics

FLAGS = flags.FLAGS
flags.DEFINE_string('workdir', '/tmp/ldm_bench', 'Where the runs go (reused when complete).')
flags.DEFINE_integer('budget_s', 600, 'Training seconds for each diffusion model.')
flags.DEFINE_integer('num_samples', 1000, 'Samples (and reference images) for FID / KID.')
flags.DEFINE_integer('throughput_steps', 50, 'Timed train steps for the rates.')
flags.DEFINE_bool('rates_only', False, 'Stop after the throughput (no budget runs, no FID).')
flags.DEFINE_integer('sample_steps', 0, 'DDIM steps for the sampling rate; 0 = the config\'s.')
flags.DEFINE_bool('charge_first_stage', False, 'Also train the latent model for the budget '
                  'minus the first stage\'s training time.')


def trained(config, workdir: str, family: str) -> float:
  """Trains `config` in `workdir` unless it already finished; returns the wall seconds."""
  done = [m['step'] for m in read_metrics(workdir)] if os.path.isdir(workdir) else []
  if done and max(done) >= config.train.num_steps:
    return float('nan')
  start = time.perf_counter()
  loop.train_and_evaluate(config, workdir, FAMILIES[family])
  return time.perf_counter() - start


def pixel_config():
  config = ldm_digits.get_config()
  config.model.autoencoder_workdir = ''
  config.model.unet.attn_resolutions = (8,)     # the lowest resolution, as (2,) in latents
  return config


def with_steps(config, steps: int):
  config.train.num_steps = max(steps, 1)
  config.train.eval_every = config.train.checkpoint_every = config.train.num_steps
  config.train.sample_every = config.train.num_steps
  config.train.log_every = max(config.train.num_steps // 10, 1)
  return config


def sample_scores(workdir: str, clf: str, num: int, reconstructions: bool = False) -> dict:
  config, family = experiment.load_run(workdir)
  exp = experiment.build(config, workdir, FAMILIES[family], migrate=True)
  state, _ = exp.restore_or_init()
  features = feature_extractors.make('domain', domain_classifier=clf,
                                     classifier_family=FAMILIES['classifier'],
                                     shape=exp.info.shape, mesh=exp.mesh)
  reference = data_lib.load_source(exp.config.data, exp.config.data.train_split)
  return sample_metrics.evaluate_samples(
      Evaluator(exp), state, ('fid', 'kid'), num, 250, features, reference,
      kid_subsets=20, kid_subset_size=min(500, num), suffix='_domain',
      reconstructions=reconstructions)


def final_eval(workdir: str) -> dict:
  return [m for m in read_metrics(workdir) if 'eval/loss' in m][-1]


def main(argv):
  del argv
  root = FLAGS.workdir
  clf, ae = os.path.join(root, 'clf'), os.path.join(root, 'ae')
  out = {}
  clf_config = classifier_digits.get_config()
  clf_config.data.image_size = 16
  out['classifier_wall_s'] = trained(clf_config, clf, 'classifier')
  out['first_stage_wall_s'] = trained(stage_digits.get_config(), ae, 'first_stage')
  out['first_stage_eval'] = final_eval(ae)
  out['first_stage_rfid'] = sample_scores(ae, clf, FLAGS.num_samples, reconstructions=True)

  latent = ldm_digits.get_config()
  latent.model.autoencoder_workdir = ae
  runs = {'latent': latent, 'pixel': pixel_config()}
  budgets = {'latent': FLAGS.budget_s, 'pixel': FLAGS.budget_s}
  if FLAGS.charge_first_stage and out['first_stage_wall_s'] == out['first_stage_wall_s']:
    runs['latent_charged'] = ldm_digits.get_config()
    runs['latent_charged'].model.autoencoder_workdir = ae
    budgets['latent_charged'] = FLAGS.budget_s - out['first_stage_wall_s']
  rates = {}
  for name in ('latent', 'pixel'):
    timed = runs[name].copy_and_resolve_references()
    if FLAGS.sample_steps:
      timed.model.sample_steps = FLAGS.sample_steps
    rates[name] = {
        'train': train_rates(timed, 'diffusion', FLAGS.throughput_steps),
        'sample': sample_rates(timed, 'diffusion', 64, 2)}
  rates['latent_charged'] = rates['latent']
  out['rates'] = {k: rates[k] for k in ('latent', 'pixel')}
  if FLAGS.rates_only:
    print(json.dumps(out, indent=1))
    return
  for name, config in runs.items():
    steps = int(budgets[name] * rates[name]['train']['steps_per_s'])
    workdir = os.path.join(root, name)
    wall = trained(with_steps(config, steps), workdir, 'diffusion')
    out[name] = {'steps': steps, 'train_wall_s': wall, 'eval': final_eval(workdir),
                 **sample_scores(workdir, clf, FLAGS.num_samples)}
  print(json.dumps(out, indent=1))


if __name__ == '__main__':
  app.run(main)
