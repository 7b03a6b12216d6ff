"""One table across families: train every generative family on the same digits and evaluate
them all the same way.

  python -m experiments.compare --workdir=DIR [--families=gan,flow,...] [--budget_s=120]
  python -m experiments.compare --workdir=DIR --quick        (about five minutes on a laptop)

Trains (or, where DIR/<family> already holds a run, reuses) one model of every family
(experiments/comparison/plan.py: autoencoder, vae, vqvae with its PixelCNN prior, gan,
diffusion, flow, autoregressive, ebm) on scikit-learn's 8x8 digits for a fixed wall-clock
budget each, and a digits classifier for the sample metrics' features; then writes
DIR/report.html, DIR/report.json and DIR/report.md. Rerunning continues where it stopped.
"""
import dataclasses
import logging
import sys

from absl import app, flags

from experiments import launch
from experiments.comparison import plan
from gdm.utils import compile_cache

FLAGS = flags.FLAGS
flags.DEFINE_string('workdir', None, 'Directory of the compare (a rerun continues it).',
                    required=True)
flags.DEFINE_string('families', '', f'Comma-separated, of: {", ".join(plan.ENTRIES)}; '
                    "'' = all.")
flags.DEFINE_float('budget_s', None, 'Seconds of training per family (default: 120; '
                   '--quick: 12).')
flags.DEFINE_integer('num_samples', None, 'Samples per family for FID/KID/precision/recall '
                     '(default: 1024; --quick: 256).')
flags.DEFINE_bool('quick', False, 'A short budget and fewer samples: minutes on a laptop.')
flags.DEFINE_bool('smoke', False, "Every config's :smoke variant and a few steps (tests).")
flags.DEFINE_integer('max_steps', None, 'Cap on any run\'s train steps (default: none).')
flags.DEFINE_string('compile_cache', compile_cache.default_dir(), "Persistent JAX compilation "
                    "cache; '' turns it off.")


def settings():
  """The preset --quick / --smoke / full, with the flags that override it."""
  from experiments.comparison.runner import PRESETS   # imports JAX: after the flag checks
  if FLAGS.quick and FLAGS.smoke:
    raise ValueError('--quick and --smoke exclude each other')
  preset = PRESETS['smoke' if FLAGS.smoke else 'quick' if FLAGS.quick else 'full']
  values = {name: getattr(FLAGS, name) for name in ('budget_s', 'num_samples', 'max_steps')
            if getattr(FLAGS, name) is not None}
  if 'num_samples' in values:
    values.setdefault('kid_subset_size', min(preset.kid_subset_size, values['num_samples']))
  return dataclasses.replace(preset, **values)


def main(argv):
  if len(argv) > 1:
    launch._fail(f'unexpected arguments: {argv[1:]}')
  try:
    names = plan.parse_families(FLAGS.families)
  except ValueError as e:
    launch._fail(e)
  compile_cache.enable(FLAGS.compile_cache)
  from experiments.comparison import runner, stages
  from experiments.families import FAMILIES
  from gdm.train import console, loop
  from gdm.train.checkpoint import CheckpointError
  launch.setup_console(console)
  try:
    path = runner.run(FLAGS.workdir, names, settings(), FAMILIES,
                      logging.getLogger('gdm').info)
  except CheckpointError as e:
    launch._exit_now(e)
  except loop.Interrupted as e:
    launch._exit_now(e, 130)
  except (ValueError, loop.NonFiniteError, loop.DataError, stages.Stopped) as e:
    launch._fail(e)
  print(path)
  sys.stdout.flush()


if __name__ == '__main__':
  app.run(main)
