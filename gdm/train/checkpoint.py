"""Orbax checkpoints of the train state and the data position, one directory per step.

Saves are asynchronous; only finalised step directories are seen by `latest_step`, so a run
killed mid-save resumes from the newest complete checkpoint. A save that fails in orbax's
background thread (permissions, a full disk, any exception) is reported by `raise_if_failed`
as a one-line CheckpointError; the process should then exit at once (orbax's threads wait
forever for a save that will not finish: see experiments/launch.py). `restore_newest` walks
back past checkpoints that cannot be read, says which it skipped and why, and deletes nothing.
"""
import logging
import os

import jax
import numpy as np
import orbax.checkpoint as ocp

log = logging.getLogger('gdm')

SKIPPED_DIR = 'checkpoints_unreadable'   # where a training run moves unreadable checkpoints


class CheckpointError(RuntimeError):
  """A checkpoint could not be written; the previous complete checkpoint is intact."""


class UnreadableCheckpoint(ValueError):
  """A checkpoint directory whose metadata or data cannot be read (truncated, corrupt)."""


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


def _reason(error: BaseException) -> str:
  """The first line of an error, without orbax's and tensorstore's multi-line detail."""
  text = f'{type(error).__name__}: {error}'.strip().splitlines()[0]
  return text[:300]


class Checkpointer:

  def __init__(self, workdir: str, keep: int, read_only: bool = False):
    self.workdir = workdir
    self.directory = os.path.join(os.path.abspath(workdir), 'checkpoints')
    self.read_only = read_only
    options = ocp.CheckpointManagerOptions(
        max_to_keep=keep, create=not read_only, read_only=read_only,
        enable_async_checkpointing=not read_only)
    self.manager = ocp.CheckpointManager(
        self.directory, options=options,
        item_handlers={'state': ocp.StandardCheckpointHandler(),
                       'data': ocp.JsonCheckpointHandler()})
    self._pending = None     # step of the save in flight

  def latest_step(self) -> int | None:
    return self.manager.latest_step()

  def all_steps(self) -> list[int]:
    return sorted(self.manager.all_steps())

  def check_compatible(self, step: int, abstract_state):
    """One-line error naming the first leaf whose path, shape or dtype differs; an
    UnreadableCheckpoint when the checkpoint's metadata cannot be read at all."""
    where = os.path.join(self.directory, str(step))
    try:
      stored = self.manager.item_metadata(step)['state']
      have = _describe(stored)
    except Exception as e:   # noqa: BLE001  (orbax raises many types for a broken directory)
      raise UnreadableCheckpoint(f'checkpoint {where} cannot be read ({_reason(e)})') from None
    if stored is None or not have:
      raise UnreadableCheckpoint(f'checkpoint {where} cannot be read (no state metadata)')
    want = _describe(abstract_state)
    for path in sorted(set(want) | set(have)):
      if want.get(path) != have.get(path):
        raise ValueError(
            f'checkpoint {where} does not match the model built from this config: '
            f'state/{path} is {have.get(path, "missing")} in the checkpoint but '
            f'{want.get(path, "absent")} in the model; use a new --workdir or the config '
            f'that wrote it')

  def restore(self, step: int, abstract_state):
    try:
      out = self.manager.restore(step, args=ocp.args.Composite(
          state=ocp.args.StandardRestore(abstract_state), data=ocp.args.JsonRestore()))
    except Exception as e:   # noqa: BLE001
      where = os.path.join(self.directory, str(step))
      raise UnreadableCheckpoint(f'checkpoint {where} cannot be read ({_reason(e)})') from None
    return out['state'], out['data']

  def restore_newest(self, abstract_state, valid=lambda step, data: None):
    """(state, data_state, step) of the newest checkpoint that reads and matches, or None.
    A checkpoint that does not match the model is an error (the config changed); one that
    cannot be read, or whose data position `valid(step, data)` rejects with a ValueError,
    is skipped with a one-line warning. A writable checkpointer moves skipped directories
    to WORKDIR/checkpoints_unreadable/ (so the step can be saved again); nothing is deleted."""
    for step in reversed(self.all_steps()):
      try:
        self.check_compatible(step, abstract_state)
        state, data = self.restore(step, abstract_state)
        valid(step, data)
        return state, data, step
      except UnreadableCheckpoint as e:
        reason = str(e)
      except ValueError as e:
        if 'does not match the model' in str(e):
          raise
        reason = str(e)
      log.warning('skipping checkpoint step %d: %s', step, reason)
      self._set_aside(step)
    return None

  def _set_aside(self, step: int):
    if self.read_only:
      return
    target = os.path.join(os.path.dirname(self.directory), SKIPPED_DIR)
    os.makedirs(target, exist_ok=True)
    dest = os.path.join(target, str(step))
    n = 1
    while os.path.exists(dest):
      dest, n = os.path.join(target, f'{step}.{n}'), n + 1
    os.rename(os.path.join(self.directory, str(step)), dest)
    log.warning('moved the unreadable checkpoint to %s', dest)
    self.manager.reload()

  def check_writable(self):
    """A one-line error now, before anything compiles, if no checkpoint could be written."""
    probe = os.path.join(self.directory, f'.write_probe_{os.getpid()}')
    try:
      os.makedirs(probe)
      os.rmdir(probe)
    except OSError as e:
      raise ValueError(f'checkpoints cannot be written to {self.directory}: '
                       f'{e.strerror or e}') from None

  def save(self, step: int, state, data_state: dict, force: bool = False) -> bool:
    self.raise_if_failed()
    try:
      saved = self.manager.save(step, args=ocp.args.Composite(
          state=ocp.args.StandardSave(state), data=ocp.args.JsonSave(data_state)),
          force=force)
    except Exception as e:   # noqa: BLE001  (the previous save may fail here, when awaited)
      raise CheckpointError(self._failure(self._pending or step, e)) from None
    self._pending = step
    return saved

  def _failure(self, step, error) -> str:
    latest = [s for s in self.all_steps() if s < step]
    kept = f'the last complete checkpoint (step {latest[-1]}) is intact' if latest else (
        'no earlier checkpoint exists')
    return (f'saving checkpoint step {step} in {self.directory} failed: {_reason(error)}; '
            f'{kept}')

  def raise_if_failed(self):
    """CheckpointError if the save in flight has failed in the background."""
    if self._pending is None or self.read_only:
      return
    try:
      self.manager.check_for_errors()
    except Exception as e:   # noqa: BLE001
      step, self._pending = self._pending, None
      raise CheckpointError(self._failure(step, e)) from None

  def wait(self):
    """Blocks until the save in flight is on disk; CheckpointError if it failed."""
    self.raise_if_failed()
    if self.read_only:
      return
    try:
      self.manager.wait_until_finished()
    except Exception as e:   # noqa: BLE001
      step, self._pending = self._pending, None
      raise CheckpointError(self._failure(step, e)) from None
    self._pending = None

  def close(self):
    self.manager.close()
