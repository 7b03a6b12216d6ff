"""A trained run opened read-only: a frozen codec, prior or feature classifier.

`restore_run` reads the workdir's config.json, run.json and newest checkpoint, and nothing
else: it loads no dataset (the dataset's description is in run.json), writes no file and
creates no directory, so a run on a read-only filesystem can serve as a frozen component.
"""
import dataclasses
import os
from typing import Any, Callable

import jax

from gdm import data as data_lib
from gdm.train.checkpoint import Checkpointer
from gdm.train.config import RunConfig, parse_run
from gdm.train.experiment import abstract_state, example_batch, make_init_state
from gdm.train.workdir import read_run_files
from gdm.train.model import Family, Model


@dataclasses.dataclass(frozen=True)
class RestoredRun:
  workdir: str
  config: RunConfig
  info: data_lib.DatasetInfo
  model: Model
  prepare: Callable             # prepare(raw_batch, key, train) as in training
  step: int
  params: dict                  # the EMA params, as evaluation and sampling use them
  model_state: Any


def _info(workdir: str, stored: dict, run: RunConfig) -> data_lib.DatasetInfo:
  if 'info' in stored:
    info = dict(stored['info'])
    return data_lib.DatasetInfo(**{**info, 'shape': tuple(info['shape'])})
  # Workdirs written before run.json held the description: read it off the source.
  return data_lib.load_source(run.data, run.data.train_split).info


def restore_run(workdir: str, family: Family, role: str = 'run') -> RestoredRun:
  """The newest checkpoint of `workdir`, which must be a `family` run. `role` names the
  component in errors (e.g. 'model.vqvae_workdir')."""
  if not os.path.isdir(workdir):
    raise ValueError(f'{role}={workdir!r} does not exist: train a {family.name} run there '
                     f'first')
  config, stored = read_run_files(workdir)
  if stored.get('family') != family.name:
    raise ValueError(f'{role}={workdir!r} is a {stored.get("family")!r} run, not a '
                     f'{family.name!r} one')
  run = parse_run(config, family.config, migrate=True)
  info = _info(workdir, stored, run)
  model = family.make(run, info)
  prepare = data_lib.make_prepare(run.data.pixels, info, run.data.random_flip)
  checkpointer = Checkpointer(workdir, run.train.keep_checkpoints, read_only=True)
  device = jax.sharding.SingleDeviceSharding(jax.local_devices()[0])
  abstract = abstract_state(make_init_state(model, prepare),
                            example_batch(info, run.train.batch_size), device)
  found = checkpointer.restore_newest(abstract)
  if found is None:
    raise ValueError(f'{role}={workdir!r} has no complete checkpoint: train it first')
  state, _, step = found
  return RestoredRun(workdir=workdir, config=run, info=info, model=model, prepare=prepare,
                     step=step, params=state.ema_params, model_state=state.model_state)
