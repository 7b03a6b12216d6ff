"""Orbax checkpoints of the train state and the data position, one directory per step.

Saves are asynchronous; only finalised step directories are seen by `latest_step`, so a run
killed mid-save resumes from the newest complete checkpoint.
"""
import os

import jax
import numpy as np
import orbax.checkpoint as ocp


def _key_name(key) -> str:
  for attr in ('key', 'name', 'idx'):
    if hasattr(key, attr):
      return str(getattr(key, attr))
  return str(key)


def _describe(tree) -> dict[str, tuple]:
  """Flattened {'a/b/0/c': (shape, dtype)} of a state or of a checkpoint's metadata.

  Paths are spelled the same way for dataclasses, dicts and the dicts orbax stores them as.
  """
  flat = jax.tree_util.tree_flatten_with_path(
      tree, is_leaf=lambda x: hasattr(x, 'shape') and hasattr(x, 'dtype'))[0]
  return {'/'.join(_key_name(k) for k in path): (tuple(leaf.shape), np.dtype(leaf.dtype).name)
          for path, leaf in flat}


class Checkpointer:

  def __init__(self, workdir: str, keep: int, read_only: bool = False):
    self.directory = os.path.join(os.path.abspath(workdir), 'checkpoints')
    options = ocp.CheckpointManagerOptions(
        max_to_keep=keep, create=not read_only, read_only=read_only,
        enable_async_checkpointing=not read_only)
    self.manager = ocp.CheckpointManager(
        self.directory, options=options,
        item_handlers={'state': ocp.StandardCheckpointHandler(),
                       'data': ocp.JsonCheckpointHandler()})

  def latest_step(self) -> int | None:
    return self.manager.latest_step()

  def check_compatible(self, step: int, abstract_state):
    """One-line error naming the first leaf whose path, shape or dtype differs."""
    stored = self.manager.item_metadata(step)['state']
    want, have = _describe(abstract_state), _describe(stored)
    where = os.path.join(self.directory, str(step))
    for path in sorted(set(want) | set(have)):
      if want.get(path) != have.get(path):
        raise ValueError(
            f'checkpoint {where} does not match the model built from this config: '
            f'state/{path} is {have.get(path, "missing")} in the checkpoint but '
            f'{want.get(path, "absent")} in the model; use a new --workdir or the config '
            f'that wrote it')

  def save(self, step: int, state, data_state: dict, force: bool = False) -> bool:
    return self.manager.save(step, args=ocp.args.Composite(
        state=ocp.args.StandardSave(state), data=ocp.args.JsonSave(data_state)), force=force)

  def restore(self, step: int, abstract_state):
    out = self.manager.restore(step, args=ocp.args.Composite(
        state=ocp.args.StandardRestore(abstract_state), data=ocp.args.JsonRestore()))
    return out['state'], out['data']

  def wait(self):
    self.manager.wait_until_finished()

  def close(self):
    self.manager.close()
