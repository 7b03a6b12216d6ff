"""Every family evaluated the same way, from the EMA params of its last step:

- its evaluation over the whole test split (the trainer's, logged at the last step; run
  again if the log lacks it), from which the likelihood rows and the extras come;
- `--mode=sample` output (gdm.train.evaluation.Evaluator.write_samples) and its grid;
- sample time per image: one batch drawn after the compiling one, timed;
- FID / KID / precision / recall of `num_samples` samples against as many training images,
  in the domain classifier's features (gdm.train.sample_metrics, as experiments.evaluate);
- train examples/s (from the logged step times, the first log interval, which holds the
  compile, left out), parameter count (every stage's trainable params) and loss curves.
"""
import math
import os
import statistics
import time

import jax
import ml_collections

from experiments.comparison import likelihood
from experiments.comparison.plan import Entry
from experiments.comparison.stages import workdir_of
from gdm.train import experiment, sample_metrics
from gdm.train.evaluation import Evaluator
from gdm.train.writer import read_metrics

METRICS = ('fid', 'kid', 'pr')
SUFFIX = '_domain'


def final_eval(records: list[dict], step: int) -> dict | None:
  """The eval/* values logged at `step` (the newest such record), or None."""
  for record in reversed(records):
    if record['step'] == step and any(k.startswith('eval/') for k in record):
      return {k: v for k, v in record.items() if k.startswith('eval/')}
  return None


def train_speed(records: list[dict], examples_per_step: int) -> float | None:
  """Examples per second from the median logged seconds per step, without the first log
  interval (it holds the compile); None with fewer than two train log lines."""
  times = [r['step_time_s'] for r in records if 'step_time_s' in r]
  if len(times) < 2:
    return None
  return examples_per_step / statistics.median(times[1:])


def loss_curves(records: list[dict]) -> dict[str, list[list[float]]]:
  """{'loss' (or 'generator/loss', ...): [[step, value], ...]} of the train log lines."""
  curves = {}
  for r in records:
    if 'step_time_s' not in r:
      continue
    for key, value in r.items():
      if key == 'loss' or key.endswith('/loss'):
        curves.setdefault(key, []).append([r['step'], value])
  return curves


def param_count(exp: experiment.Experiment) -> int:
  return int(sum(math.prod(x.shape) for x in jax.tree.leaves(exp.abstract_state.params)))


def sample_time(evaluator: Evaluator, state, batch: int) -> float:
  """Seconds per image of one batch of `batch` samples (compiled beforehand)."""
  evaluator.sample(state, batch, index=0)
  start = time.monotonic()
  evaluator.sample(state, batch, index=1)
  return (time.monotonic() - start) / batch


def stage_numbers(exp: experiment.Experiment, stored: dict) -> dict:
  records = read_metrics(exp.workdir)
  t = exp.config.train
  return {'workdir': exp.workdir, 'num_steps': t.num_steps,
          'batch': t.batch_size * exp.micro_batches, 'params': param_count(exp),
          'calibrated_steps_per_s': stored.get('steps_per_s'),
          'budget_s': stored.get('budget_s'), 'train_wall_s': stored.get('train_wall_s'),
          'reused': bool(stored.get('reused')),
          'examples_per_s': train_speed(records, t.batch_size * exp.micro_batches),
          'eval': final_eval(records, t.num_steps), 'curves': loss_curves(records)}


def overall_speed(stages: list[dict]) -> float | None:
  """Examples per second over every stage: total examples / total seconds of train steps."""
  if any(s['examples_per_s'] is None for s in stages):
    return None
  seconds = sum(s['num_steps'] * s['batch'] / s['examples_per_s'] for s in stages)
  return sum(s['num_steps'] * s['batch'] for s in stages) / seconds


def evaluate(entry: Entry, exps: dict, progress, settings, feature_fn, families) -> dict:
  """The family's result (what report.json holds for it); `exps` are its trained stages'
  experiments by name."""
  stages = {name: stage_numbers(exp, progress.stage(name)) for name, exp in exps.items()}
  exp = exps[entry.main.name]
  if entry.eval_links:
    config = ml_collections.ConfigDict(progress.stage(entry.main.name)['config'])
    for key, other in entry.eval_links:
      config.model[key] = workdir_of(os.path.dirname(exp.workdir), other)
    exp = experiment.build(config, exp.workdir, families[entry.main.family])
  state, step = exp.restore_or_init()
  if step != exp.config.train.num_steps:
    raise ValueError(f'{exp.workdir}: the newest readable checkpoint is step {step}, not the '
                     f'last step {exp.config.train.num_steps}')
  evaluator = Evaluator(exp)
  scalars = stages[entry.main.name]['eval'] or evaluator.evaluate(state)
  samples_path = evaluator.write_samples(state)
  per_image = sample_time(evaluator, state, settings.sample_batch)
  metrics = sample_metrics.evaluate_samples(
      evaluator, state, METRICS, settings.num_samples, settings.sample_batch, feature_fn,
      exp.train_source, '', settings.kid_subsets, settings.kid_subset_size,
      pr_k=settings.pr_k, suffix=SUFFIX)
  extras = {}
  for name, metric in entry.extras:
    values = stages[name]['eval'] or {}
    if f'eval/{metric}' in values:
      extras[f'{name}/{metric}'] = values[f'eval/{metric}']
  return {
      'family': entry.name, 'step': step, 'note': entry.note,
      'pixels': likelihood.describe_pixels(exp.config.data.pixels),
      'likelihood': likelihood.rows(entry.likelihoods, scalars, exp.info,
                                    exp.config.data.pixels),
      'samples': _strip(metrics),
      'num_samples': settings.num_samples,
      'sample_s_per_image': per_image,
      'train_examples_per_s': overall_speed(list(stages.values())),
      'params': sum(s['params'] for s in stages.values()),
      'extras': extras,
      'samples_npz': samples_path, 'samples_png': samples_path[:-len('.npz')] + '.png',
      'stages': stages,
  }


def _strip(metrics: dict) -> dict:
  """{'eval/fid_domain': v} -> {'fid': v}."""
  return {k[len('eval/'):-len(SUFFIX)]: float(v) for k, v in metrics.items()}


def real_reference(exp: experiment.Experiment, settings, feature_fn) -> dict:
  """The held-out test digits scored like a model's samples, against the same training
  images: the floor each family's FID/KID and the ceiling its precision/recall are read
  against (with at most the 297 test images, FID is biased up for N < num_samples)."""
  num = min(settings.num_samples, len(exp.eval_source))
  held_out = sample_metrics.dataset_features(exp.eval_source, num, settings.sample_batch,
                                             feature_fn, keep_pool=True)
  train = sample_metrics.dataset_features(exp.train_source, settings.num_samples,
                                          settings.sample_batch, feature_fn, keep_pool=True)
  metrics = sample_metrics.feature_metrics(
      held_out, train, METRICS, '', settings.kid_subsets, min(settings.kid_subset_size, num),
      pr_k=settings.pr_k, suffix=SUFFIX)
  return {'num': num, **_strip(metrics)}
