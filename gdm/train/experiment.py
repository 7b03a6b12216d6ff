"""Everything a run needs before the first compile: checked config, data, model, state.

`build` raises every bad-input error (config, workdir, dataset, checkpoint that does not fit
the model) before anything is compiled or written into the workdir. It takes the family's
builder (a `Family`); only the launchers know the table of families.
"""
import dataclasses
import json
import logging
import os
from typing import Any, Callable

import jax
import ml_collections

from gdm import data as data_lib
from gdm.train import distributed, rng
from gdm.train import state as state_lib
from gdm.train.checkpoint import Checkpointer
from gdm.train.config import RunConfig, parse_run
from gdm.train.model import Family, Model
from gdm.train.step import num_micro_batches
from gdm.utils import schema

log = logging.getLogger('gdm')

RUN_FILE = 'run.json'   # what a workdir was trained as: family and dataset description


@dataclasses.dataclass
class Experiment:
  config: RunConfig
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


def config_json(run: RunConfig) -> str:
  values = schema.to_dict(dataclasses.replace(run, model=None))
  model = run.model
  values['model'] = (model.to_dict() if isinstance(model, ml_collections.ConfigDict)
                     else schema.to_dict(model))
  return json.dumps(values, indent=2, sort_keys=True)


def write_config(run: RunConfig, workdir: str, step: int):
  """config.json for a new run (every key, defaults included); a resumed run with a changed
  config keeps the old file and writes config_step<N>.json beside it."""
  text = config_json(run)
  path = os.path.join(workdir, 'config.json')
  if os.path.exists(path):
    with open(path) as f:
      if f.read() == text:
        return
    path = os.path.join(workdir, f'config_step{step}.json')
    log.warning('config differs from %s/config.json; writing %s', workdir, path)
  with open(path, 'w') as f:
    f.write(text)


def read_run_files(workdir: str) -> tuple[ml_collections.ConfigDict, dict]:
  """(config, run.json contents) of an existing workdir, from the files `build` wrote."""
  paths = [os.path.join(workdir, n) for n in ('config.json', RUN_FILE)]
  missing = [p for p in paths if not os.path.exists(p)]
  if missing:
    raise ValueError(f'{workdir!r} is not a gdm workdir: {", ".join(missing)} missing')
  with open(paths[0]) as f:
    config = ml_collections.ConfigDict(json.load(f))
  with open(paths[1]) as f:
    return config, json.load(f)


def load_run(workdir: str) -> tuple[ml_collections.ConfigDict, str]:
  """(config, family name) of an existing workdir."""
  config, run = read_run_files(workdir)
  return config, run['family']


def example_batch(info: data_lib.DatasetInfo, batch_size: int) -> dict:
  """Shapes and dtypes of a raw batch as the pipeline yields it."""
  x = jax.ShapeDtypeStruct((batch_size,) + tuple(info.shape),
                           'uint8' if info.is_image else 'float32')
  out = {'x': x, 'index': jax.ShapeDtypeStruct((batch_size,), 'int32')}
  if info.num_classes:
    out['y'] = jax.ShapeDtypeStruct((batch_size,), 'int32')
  return out


def make_init_state(model: Model, prepare: Callable):
  """(key, raw_batch) -> a fresh TrainState."""
  optimizers = {p.name: p.optimizer for p in model.players}

  def init_state(key, raw_batch):
    batch = prepare(raw_batch, key, False)
    params, model_state = model.init(key, batch)
    return state_lib.create(params, model_state, optimizers)

  return init_state


def abstract_state(init_state: Callable, example: dict, sharding) -> Any:
  shapes = jax.eval_shape(init_state, jax.random.PRNGKey(0), example)
  return jax.tree.map(lambda x: jax.ShapeDtypeStruct(x.shape, x.dtype, sharding=sharding),
                      shapes)


def build(config, workdir: str, family: Family, devices=None) -> Experiment:
  run = parse_run(config, family.config)
  mesh = distributed.make_mesh(devices)
  distributed.check_batch_size(run.train.batch_size, mesh)
  distributed.check_batch_size(run.eval.batch_size, mesh, 'eval.batch_size')

  train_source = data_lib.load_source(run.data, run.data.train_split)
  eval_source = data_lib.load_source(run.data, run.data.eval_split)
  info = train_source.info
  model = family.make(run, info)
  if jax.process_index() == 0:
    check_workdir(workdir)
  prepare = data_lib.make_prepare(run.data.pixels, info, run.data.random_flip)
  pipeline = data_lib.Pipeline(
      train_source, run.train.batch_size, seed=run.seed, shuffle=run.data.shuffle,
      process_index=jax.process_index(), process_count=jax.process_count())
  init_state = make_init_state(model, prepare)
  example = jax.tree.map(
      lambda x: jax.ShapeDtypeStruct((run.train.batch_size,) + x.shape[1:], x.dtype),
      pipeline.batch(0))
  abstract = abstract_state(init_state, example, distributed.replicated(mesh))

  checkpointer = Checkpointer(workdir, run.train.keep_checkpoints)
  latest = checkpointer.latest_step()
  if latest is not None:
    checkpointer.check_compatible(latest, abstract)
  if jax.process_index() == 0:
    write_config(run, workdir, latest or 0)
    with open(os.path.join(workdir, RUN_FILE), 'w') as f:
      json.dump({'family': family.name, 'info': dataclasses.asdict(info)}, f)
  return Experiment(config=run, workdir=workdir, mesh=mesh, info=info,
                    train_source=train_source, eval_source=eval_source, pipeline=pipeline,
                    prepare=prepare, model=model, micro_batches=num_micro_batches(model.players),
                    base_key=jax.random.PRNGKey(run.seed), init_state=init_state,
                    abstract_state=abstract, checkpointer=checkpointer)
