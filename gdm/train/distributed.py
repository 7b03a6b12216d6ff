"""Devices, mesh and shardings: the same code on 1 CPU, 8 GPUs and a multi-host pod.

One `Mesh` over every device of every process with axes ('data', 'fsdp'); batches are split
over both, the train state is replicated except where train.param_sharding shards leaves over
'fsdp' (gdm.train.param_sharding). Each process feeds only its own slice of a batch.
"""
import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P


def check_flags(coordinator_address: str, num_processes: int, process_id: int, auto: bool):
  """One-line errors for multi-process flags that cannot work, before anything starts."""
  if auto:
    return
  if num_processes < 1:
    raise ValueError(f'--num_processes={num_processes} must be >= 1')
  if not coordinator_address:
    if num_processes > 1:
      raise ValueError(f'--num_processes={num_processes} needs --coordinator_address=HOST:PORT '
                       f'(process 0\'s address) or --distributed_auto; without one every rank '
                       f'would run alone on the same workdir')
    return
  host, _, port = coordinator_address.rpartition(':')
  if not host or not port.isdigit() or not 0 < int(port) < 65536:
    raise ValueError(f'--coordinator_address={coordinator_address!r} must be HOST:PORT with a '
                     f'port in 1..65535 (e.g. host0:1234)')
  if not 0 <= process_id < num_processes:
    raise ValueError(f'--process_id={process_id} must be in [0, --num_processes='
                     f'{num_processes})')


def initialize(coordinator_address: str = '', num_processes: int = 0, process_id: int = -1,
               auto: bool = False):
  """Joins a multi-process run. On TPU pods and SLURM, `auto=True` lets JAX detect it.

  On CPU the cross-process collectives go through gloo (tested on localhost).
  """
  if not (coordinator_address or auto):
    return
  jax.config.update('jax_cpu_collectives_implementation', 'gloo')
  if auto:
    jax.distributed.initialize()
  else:
    jax.distributed.initialize(coordinator_address=coordinator_address,
                               num_processes=num_processes, process_id=process_id)


BATCH_AXES = ('data', 'fsdp')


def make_mesh(devices=None, fsdp: int = 1) -> Mesh:
  """A (data, fsdp) mesh; `fsdp` devices hold the shards of one copy of the state."""
  devices = jax.devices() if devices is None else list(devices)
  if fsdp < 1 or len(devices) % fsdp:
    raise ValueError(f'train.fsdp={fsdp} must divide the device count {len(devices)}')
  return Mesh(np.array(devices).reshape(len(devices) // fsdp, fsdp), BATCH_AXES)


def replicated(mesh: Mesh) -> NamedSharding:
  return NamedSharding(mesh, P())


def batch_sharding(mesh: Mesh, leading: int) -> NamedSharding:
  """Shards the batch axis that follows `leading` unsharded axes (steps, micro-batches)."""
  return NamedSharding(mesh, P(*([None] * leading), BATCH_AXES))


def global_batch(local: dict, mesh: Mesh, leading: int) -> dict:
  """This process's numpy slice of a batch -> global arrays sharded over the mesh."""
  sharding = batch_sharding(mesh, leading)
  nproc = jax.process_count()

  def one(x):
    shape = list(x.shape)
    shape[leading] *= nproc
    return jax.make_array_from_process_local_data(sharding, x, tuple(shape))

  return jax.tree.map(one, local)


def shard_host_batch(x: np.ndarray, mesh: Mesh) -> jax.Array:
  """A host array that every process holds in full -> a global array split along axis 0
  over the mesh, padded (by repeating the last row) to a multiple of the device count."""
  pad = (-len(x)) % mesh.devices.size
  if pad:
    x = np.concatenate([x, np.repeat(x[-1:], pad, axis=0)])
  return jax.make_array_from_callback(x.shape, batch_sharding(mesh, 0), lambda idx: x[idx])


def batch_parallel(fn, mesh: Mesh):
  """fn(params, x) -> pytree of [N, ...] arrays, run with x split over every device of the
  mesh and params replicated; returns host numpy arrays for the N real rows.

  For evaluation-time maps over many examples (feature extraction): the batch is sharded the
  way training shards it, and any N works (the padding rows are dropped).
  """
  jitted = jax.jit(fn, out_shardings=replicated(mesh))
  placed = {}

  def apply(params, x):
    key = id(params)
    if key not in placed:   # params are placed once per params object, not per batch
      placed.clear()
      placed[key] = (params, jax.device_put(params, replicated(mesh)))
    out = jitted(placed[key][1], shard_host_batch(np.asarray(x), mesh))
    return jax.tree.map(lambda v: np.asarray(v)[:len(x)], out)

  return apply


def check_batch_size(batch_size: int, mesh: Mesh, what: str = 'train.batch_size'):
  n = mesh.devices.size
  if batch_size <= 0 or batch_size % n:
    raise ValueError(f'{what}={batch_size} must be a positive multiple of the device count {n}')
