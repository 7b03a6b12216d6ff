"""Training one stage of the compare: its config (fitted to the budget once, then stored),
the check that it is on the shared data, and the trainer's own loop, which resumes.

A stage whose workdir already holds a run that the compare did not start is reused as it
is: its config.json (and so its own train.num_steps) is taken, and it is trained on to that
step if it has not reached it.
"""
import importlib
import os
import time

import ml_collections

from experiments.comparison import budget
from experiments.comparison.plan import Stage
from experiments.comparison.progress import Progress
from gdm.train import experiment, loop
from gdm.train.config import parse_run
from gdm.train.workdir import CONFIG_FILE

DATA = 'digits'


class Stopped(RuntimeError):
  """A stage stopped before its last step (preemption); a rerun resumes it."""


def workdir_of(workdir: str, name: str) -> str:
  return os.path.join(os.path.abspath(workdir), name)


def plan_config(stage: Stage, workdir: str, variant: str) -> ml_collections.ConfigDict:
  """The stage's config file with its links set to the other stages' workdirs (and the
  keys they replace cleared)."""
  config = importlib.import_module(stage.module).get_config(variant)
  for key in stage.unlinked:
    config.model[key] = None
  for key, other in stage.links:
    config.model[key] = workdir_of(workdir, other)
  return config


def existing_config(stage: Stage, run_dir: str, families) -> ml_collections.ConfigDict | None:
  """The config of a run already in `run_dir` (None if there is none), checked to be the
  stage's family."""
  if not os.path.exists(os.path.join(run_dir, CONFIG_FILE)):
    return None
  config, family = experiment.load_run(run_dir)
  if family != stage.family:
    raise ValueError(f'{run_dir} holds a {family!r} run; the compare trains a '
                     f'{stage.family!r} run there: move it, or use another --workdir')
  parse_run(config, families[family].config, migrate=True)
  return config


def check_data(exp: experiment.Experiment, stage: Stage, shape: tuple | None):
  """Every stage trains on the same data and split, at the same image size."""
  c = exp.config.data
  if exp.info.name != DATA or (c.train_split, c.eval_split) != ('train', 'test'):
    raise ValueError(f'{exp.workdir}: the compare needs {DATA!r} with splits train/test; '
                     f'this run has {exp.info.name!r} ({c.train_split}/{c.eval_split})')
  if shape is not None and tuple(exp.info.shape) != tuple(shape):
    raise ValueError(f'{exp.workdir}: images of shape {tuple(exp.info.shape)}, the compare '
                     f'(and its domain classifier) needs {tuple(shape)}')


def fitted_config(stage: Stage, workdir: str, progress: Progress, settings, families,
                  budget_s: float | None) -> ml_collections.ConfigDict:
  """The config the stage trains with: stored; else an existing run's; else the plan's
  config with num_steps fixed from `budget_s` (None: the config's own length) and stored."""
  stored = progress.stage(stage.name)
  if 'config' in stored:
    return ml_collections.ConfigDict(stored['config'])
  run_dir = workdir_of(workdir, stage.name)
  config = existing_config(stage, run_dir, families)
  if config is not None:
    progress.update_stage(stage.name, config=config.to_dict(), reused=True)
    return config
  config = plan_config(stage, workdir, settings.variant)
  if budget_s is None:
    progress.update_stage(stage.name, config=config.to_dict())
    return config
  family = families[stage.family]
  steps_per_s = budget.steps_per_second(experiment.build(config, run_dir, family))
  steps = budget.num_steps(budget_s, steps_per_s, config.train.steps_per_call,
                           settings.max_steps)
  config = budget.fit(config, steps, settings.sample_batch)
  progress.update_stage(stage.name, config=config.to_dict(), steps_per_s=steps_per_s,
                        budget_s=budget_s)
  return config


def train(stage: Stage, workdir: str, progress: Progress, settings, families,
          budget_s: float | None, shape: tuple | None, say) -> experiment.Experiment:
  """Trains (or resumes, or only checks) the stage; returns its experiment."""
  config = fitted_config(stage, workdir, progress, settings, families, budget_s)
  exp = experiment.build(config, workdir_of(workdir, stage.name), families[stage.family])
  check_data(exp, stage, shape)
  if progress.stage(stage.name).get('trained'):
    return exp
  total = exp.config.train.num_steps
  say(f'{stage.name}: training to step {total} in {exp.workdir}')
  start = time.monotonic()
  state = loop.train(exp)
  wall = progress.stage(stage.name).get('train_wall_s', 0.0) + time.monotonic() - start
  if int(state.step) < total:
    progress.update_stage(stage.name, train_wall_s=wall)
    raise Stopped(f'{stage.name} stopped at step {int(state.step)} of {total}; rerun the '
                  'same command to resume')
  progress.update_stage(stage.name, trained=True, train_wall_s=wall)
  return exp
