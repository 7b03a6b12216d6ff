"""Everything a run needs before the first compile: checked config, data, model, state.

`build` raises every bad-input error (config, dataset, checkpoint that does not fit the
model) before anything is compiled, and writes nothing: training claims the workdir
(`Experiment.claim`: lock, config.json, run.json) once everything has been checked. It takes the family's
builder (a `Family`); only the launchers know the table of families.
"""
import dataclasses
import json
from typing import Any, Callable

import jax
import ml_collections

from gdm import data as data_lib
from gdm.train import distributed, param_sharding, rng
from gdm.train import state as state_lib
from gdm.train import workdir as workdir_lib
from gdm.train.checkpoint import Checkpointer, UnreadableCheckpoint
from gdm.train.config import RunConfig, parse_run
from gdm.train.model import Family, Model
from gdm.train.players import optimizers_by_entry
from gdm.train.step import num_micro_batches
from gdm.utils import schema
from gdm.utils.run_once import run_once

@dataclasses.dataclass
class Experiment:
  config: RunConfig
  workdir: str
  family: str
  mesh: Any
  info: data_lib.DatasetInfo
  train_source: Any
  eval_source: Any
  pipeline: data_lib.Pipeline | data_lib.DomainPipeline
  prepare: Callable
  model: Model
  micro_batches: int
  base_key: jax.Array
  init_state: Callable          # (key, raw_batch) -> TrainState
  abstract_state: Any
  state_sharding: Any           # a NamedSharding per train-state leaf
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

  def claim(self):
    """Makes this process the workdir's writer: takes the lock (process 0; one-line error if
    another run holds it), writes config.json and run.json, and opens the checkpoints for
    writing. Called by training only: eval, sample and the modes never claim."""
    if self.is_writer:
      workdir_lib.check_writable(self.workdir)
      if not workdir_lib.is_remote(self.workdir):
        self._lock = workdir_lib.WorkdirLock(self.workdir)
        self._lock.acquire()
    self.checkpointer = Checkpointer(self.workdir, self.config.train.keep_checkpoints)
    if self.is_writer:
      self.checkpointer.check_writable()
      workdir_lib.write_config(config_json(self.config), self.workdir,
                               self.checkpointer.latest_step() or 0)
      workdir_lib.write_run_file(self.workdir, self.family, self.info)

  def release(self):
    lock = getattr(self, '_lock', None)
    if lock is not None:
      lock.release()

  def restore_or_init(self):
    """(state, resumed_step or None): the newest checkpoint that reads, else a fresh state."""

    def valid(step, data_state):
      if data_state.get('next_step') != step:
        raise ValueError(f'it records data position {data_state}, expected next_step={step}')

    found = self.checkpointer.restore_newest(self.abstract_state, valid)
    if found is not None:
      state, _, step = found
      return state, step
    raw = self.global_batch(self.pipeline.batch(0), leading=0)
    init = jax.jit(self.init_state, out_shardings=self.state_sharding)
    return run_once(init, rng.key_for(self.base_key, 0, rng.INIT), raw), None


def config_json(run: RunConfig) -> str:
  values = schema.to_dict(dataclasses.replace(run, model=None))
  model = run.model
  values['model'] = (model.to_dict() if isinstance(model, ml_collections.ConfigDict)
                     else schema.to_dict(model))
  return json.dumps(values, indent=2, sort_keys=True)


def load_run(workdir: str) -> tuple[ml_collections.ConfigDict, str]:
  """(config, family name) of an existing workdir."""
  config, run = workdir_lib.read_run_files(workdir)
  return config, run['family']


def example_batch(info: data_lib.DatasetInfo, batch_size: int) -> dict:
  """Shapes and dtypes of a raw batch as the pipeline yields it."""
  x = jax.ShapeDtypeStruct((batch_size,) + tuple(info.shape),
                           'uint8' if info.is_image else 'float32')
  out = {'x': x, 'index': jax.ShapeDtypeStruct((batch_size,), 'int32')}
  if info.num_classes:
    out['y'] = jax.ShapeDtypeStruct((batch_size,), 'int32')
  if info.target_shape:    # translation data: an image `y` (from its own domain, unpaired)
    out['y'] = jax.ShapeDtypeStruct((batch_size,) + tuple(info.target_shape), 'uint8')
    if info.pairing == 'unpaired':
      out['y_index'] = jax.ShapeDtypeStruct((batch_size,), 'int32')
  return out


def make_init_state(model: Model, prepare: Callable):
  """(key, raw_batch) -> a fresh TrainState."""
  optimizers = optimizers_by_entry(model.players)

  def init_state(key, raw_batch):
    batch = prepare(raw_batch, key, False)
    params, model_state = model.init(key, batch)
    return state_lib.create(params, model_state, optimizers)

  return init_state


def abstract_state(init_state: Callable, example: dict, sharding) -> Any:
  shapes = jax.eval_shape(init_state, jax.random.PRNGKey(0), example)
  return jax.tree.map(lambda x: jax.ShapeDtypeStruct(x.shape, x.dtype, sharding=sharding),
                      shapes)


def build(config, workdir: str, family: Family, devices=None,
          migrate: bool = False) -> Experiment:
  """`migrate`: `config` is an older run's config.json (see gdm.train.config.parse_run)."""
  run = parse_run(config, family.config, migrate)
  mesh = distributed.make_mesh(devices, run.train.fsdp)
  distributed.check_batch_size(run.train.batch_size, mesh)
  if run.train.grad_accum > 1:   # every slice is split over the devices like a batch
    distributed.check_batch_size(run.train.batch_size // run.train.grad_accum, mesh,
                                 'train.batch_size / train.grad_accum')
  distributed.check_batch_size(run.eval.batch_size, mesh, 'eval.batch_size')

  train_source = data_lib.load_source(run.data, run.data.train_split)
  eval_source = data_lib.load_source(run.data, run.data.eval_split)
  info = train_source.info
  model = family.make(run, info)
  prepare = data_lib.make_prepare(run.data.pixels, info, run.data.random_flip)
  pipeline = data_lib.make_pipeline(
      train_source, run.train.batch_size, seed=run.seed, shuffle=run.data.shuffle,
      process_index=jax.process_index(), process_count=jax.process_count())
  init_state = make_init_state(model, prepare)
  example = jax.tree.map(
      lambda x: jax.ShapeDtypeStruct((run.train.batch_size,) + x.shape[1:], x.dtype),
      pipeline.batch(0))
  shapes = jax.eval_shape(init_state, jax.random.PRNGKey(0), example)
  sharding = param_sharding.state_shardings(shapes, mesh, run.train.param_sharding)
  abstract = jax.tree.map(
      lambda x, s: jax.ShapeDtypeStruct(x.shape, x.dtype, sharding=s), shapes, sharding)

  # Read-only until a run claims the workdir: building writes nothing.
  checkpointer = Checkpointer(workdir, run.train.keep_checkpoints, read_only=True)
  latest = checkpointer.latest_step()
  if latest is not None:
    try:
      checkpointer.check_compatible(latest, abstract)
    except UnreadableCheckpoint:
      pass                       # restore_or_init walks back past it
  return Experiment(config=run, workdir=workdir, family=family.name, mesh=mesh, info=info,
                    train_source=train_source, eval_source=eval_source, pipeline=pipeline,
                    prepare=prepare, model=model, micro_batches=num_micro_batches(model.players),
                    base_key=jax.random.PRNGKey(run.seed), init_state=init_state,
                    abstract_state=abstract, state_sharding=sharding,
                    checkpointer=checkpointer)
