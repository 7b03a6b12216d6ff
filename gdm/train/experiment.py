"""Everything a run needs before the first compile: checked config, data, model, state.

`build` raises every bad-input error (config, workdir, dataset, checkpoint that does not fit
the model) before anything is compiled or written into the workdir.
"""
import dataclasses
import json
import logging
import os
from typing import Any, Callable

import jax
import ml_collections

from experiments.configs import default as default_config
from gdm import data as data_lib
from gdm.families import get_family
from gdm.models.base import Model
from gdm.train import distributed, rng
from gdm.train import state as state_lib
from gdm.train.checkpoint import Checkpointer
from gdm.train.step import num_micro_batches
from gdm.train.validate import check_config

log = logging.getLogger('gdm')


RUN_FILE = 'run.json'   # what a workdir was trained as: lets experiments.evaluate rebuild it


@dataclasses.dataclass
class Experiment:
  config: ml_collections.ConfigDict
  workdir: str
  mesh: Any
  info: data_lib.DatasetInfo
  train_source: Any
  eval_source: Any
  pipeline: data_lib.Pipeline
  prepare: Callable
  model: Model
  micro_batches: int
  base_key: jax.Array
  init_state: Callable          # (key, raw_batch) -> TrainState
  abstract_state: Any
  checkpointer: Checkpointer

  @property
  def is_writer(self) -> bool:
    return jax.process_index() == 0

  def global_batch(self, local: dict, leading: int) -> dict:
    return distributed.global_batch(local, self.mesh, leading)

  def train_batch(self, step: int, num_steps: int) -> dict:
    """Global batch of train steps step..step+num_steps-1: leaves [num_steps, k, B, ...]
    with k = micro-batches per step (n_critic); step s reads pipeline batches s*k..s*k+k-1."""
    k = self.micro_batches
    local = self.pipeline.batches(step * k, num_steps * k)
    local = {name: v.reshape((num_steps, k) + v.shape[1:]) for name, v in local.items()}
    return self.global_batch(local, leading=2)

  def restore_or_init(self):
    """(state, resumed_step or None): the newest complete checkpoint, else a fresh state."""
    latest = self.checkpointer.latest_step()
    if latest is not None:
      state, data_state = self.checkpointer.restore(latest, self.abstract_state)
      if data_state.get('next_step') != latest:
        raise ValueError(f'checkpoint {latest} records data position {data_state}, '
                         f'expected next_step={latest}')
      return state, latest
    raw = self.global_batch(self.pipeline.batch(0), leading=0)
    init = jax.jit(self.init_state, out_shardings=distributed.replicated(self.mesh))
    return init(rng.key_for(self.base_key, 0, rng.INIT), raw), None


def check_workdir(workdir: str):
  if os.path.exists(workdir) and not os.path.isdir(workdir):
    raise ValueError(f'workdir {workdir!r} exists and is not a directory')
  try:
    os.makedirs(workdir, exist_ok=True)
    probe = os.path.join(workdir, f'.write_probe_{os.getpid()}')
    with open(probe, 'w') as f:
      f.write('ok')
    os.remove(probe)
  except OSError as e:
    raise ValueError(f'workdir {workdir!r} is not writable: {e.strerror or e}') from None


def write_config(config: ml_collections.ConfigDict, workdir: str, step: int):
  """config.json for a new run; a resumed run with a changed config keeps the old file and
  writes config_step<N>.json beside it."""
  text = config.to_json_best_effort(indent=2, sort_keys=True)
  path = os.path.join(workdir, 'config.json')
  if os.path.exists(path):
    with open(path) as f:
      if f.read() == text:
        return
    path = os.path.join(workdir, f'config_step{step}.json')
    log.warning('config differs from %s/config.json; writing %s', workdir, path)
  with open(path, 'w') as f:
    f.write(text)


def load_run(workdir: str) -> tuple[ml_collections.ConfigDict, str]:
  """(config, family) of an existing workdir, from the files `build` wrote there."""
  paths = [os.path.join(workdir, n) for n in ('config.json', RUN_FILE)]
  missing = [p for p in paths if not os.path.exists(p)]
  if missing:
    raise ValueError(f'{workdir!r} is not a gdm workdir: {", ".join(missing)} missing')
  with open(paths[0]) as f:
    config = ml_collections.ConfigDict(json.load(f))
  with open(paths[1]) as f:
    return config, json.load(f)['family']


def build(config: ml_collections.ConfigDict, workdir: str, family: str,
          devices=None) -> Experiment:
  check_config(config, default_config.get_config())
  make_model = get_family(family)
  mesh = distributed.make_mesh(devices)
  distributed.check_batch_size(config.train.batch_size, mesh)
  distributed.check_batch_size(config.eval.batch_size, mesh, 'eval.batch_size')

  train_source = data_lib.load_source(config.data, config.data.train_split)
  eval_source = data_lib.load_source(config.data, config.data.eval_split)
  info = train_source.info
  model = make_model(config, info)
  if jax.process_index() == 0:
    check_workdir(workdir)
  prepare = data_lib.make_prepare(config.data, info)
  k = num_micro_batches(model.players)
  pipeline = data_lib.Pipeline(
      train_source, config.train.batch_size, seed=config.seed, shuffle=config.data.shuffle,
      process_index=jax.process_index(), process_count=jax.process_count())
  base_key = jax.random.PRNGKey(config.seed)
  optimizers = {p.name: p.optimizer for p in model.players}

  def init_state(key, raw_batch):
    batch = prepare(raw_batch, key, False)
    params, model_state = model.init(key, batch)
    return state_lib.create(params, model_state, optimizers)

  example = jax.tree.map(
      lambda x: jax.ShapeDtypeStruct((config.train.batch_size,) + x.shape[1:], x.dtype),
      pipeline.batch(0))
  replicated = distributed.replicated(mesh)
  abstract = jax.eval_shape(init_state, base_key, example)
  abstract = jax.tree.map(
      lambda x: jax.ShapeDtypeStruct(x.shape, x.dtype, sharding=replicated), abstract)

  checkpointer = Checkpointer(workdir, config.train.keep_checkpoints)
  latest = checkpointer.latest_step()
  if latest is not None:
    checkpointer.check_compatible(latest, abstract)
  if jax.process_index() == 0:
    write_config(config, workdir, latest or 0)
    with open(os.path.join(workdir, RUN_FILE), 'w') as f:
      json.dump({'family': family}, f)
  return Experiment(config=config, workdir=workdir, mesh=mesh, info=info,
                    train_source=train_source, eval_source=eval_source, pipeline=pipeline,
                    prepare=prepare, model=model, micro_batches=k, base_key=base_key,
                    init_state=init_state, abstract_state=abstract,
                    checkpointer=checkpointer)
