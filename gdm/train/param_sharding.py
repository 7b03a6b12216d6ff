"""Parameter and optimizer-state sharding over the mesh's 'fsdp' axis (FSDP-style), for models
whose state does not fit replicated.

The mesh is (data, fsdp); a batch is split over both axes (every device sees its own
examples), and each train-state leaf whose path matches one of `train.param_sharding`'s regular
expressions is split along 'fsdp' on its largest dimension that the axis size divides; every
other leaf is replicated. Params, EMA params and the optimizer's moments (whose paths end with
the param's path) follow the same rules, so a matched kernel and its Adam moments live in the
same shards. XLA's partitioner inserts the all-gathers and reduce-scatters; the computation
is the same as replicated up to float rounding.
"""
import re
from typing import Sequence

import jax
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P

AXIS = 'fsdp'


def path_string(path) -> str:
  """'params/model/encoder/dense0/kernel' for a tree path."""
  parts = []
  for key in path:
    for attr in ('key', 'name', 'idx'):
      if hasattr(key, attr):
        parts.append(str(getattr(key, attr)))
        break
    else:
      parts.append(str(key))
  return '/'.join(parts)


def leaf_spec(shape: Sequence[int], axis_size: int) -> P:
  """P with 'fsdp' on the largest dimension divisible by `axis_size`; P() if none is."""
  dims = [d for d in sorted(range(len(shape)), key=lambda d: -shape[d])
          if shape[d] % axis_size == 0 and shape[d] >= axis_size]
  if axis_size == 1 or not dims:
    return P()
  spec = [None] * len(shape)
  spec[dims[0]] = AXIS
  return P(*spec)


def state_shardings(abstract_state, mesh: Mesh, patterns: Sequence[str]):
  """A NamedSharding per leaf of a train state (see the module docstring)."""
  size = mesh.shape.get(AXIS, 1)
  compiled = [re.compile(p) for p in patterns]

  def one(path, leaf):
    text = path_string(path)
    sharded = size > 1 and any(p.search(text) for p in compiled)
    return NamedSharding(mesh, leaf_spec(leaf.shape, size) if sharded else P())

  return jax.tree_util.tree_map_with_path(one, abstract_state)
