"""The files of a workdir besides checkpoints and logs: the run files and the writer's lock.

Nothing is written into a workdir until a run claims it (`claim`): a bad config, flag or mode
leaves it untouched. The lock is an flock on WORKDIR/lock held by the writing process for the
whole run: the kernel drops it when that process dies, so a stale lock of a killed run is taken
over without any clean-up, and a second run on the same workdir fails at once naming the
holder's host and pid. Remote workdirs (gs://...) cannot be flocked and are not locked.
"""
import dataclasses
import fcntl
import json
import logging
import os
import socket
import time

import ml_collections

log = logging.getLogger('gdm')

RUN_FILE = 'run.json'   # what a workdir was trained as: family and dataset description
CONFIG_FILE = 'config.json'
LOCK_FILE = 'lock'


def is_remote(workdir: str) -> bool:
  return '://' in workdir


def check_writable(workdir: str):
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


class WorkdirLock:
  """An exclusive flock on WORKDIR/lock, with the holder's host, pid and start time in it."""

  def __init__(self, workdir: str):
    self.path = os.path.join(workdir, LOCK_FILE)
    self._file = None

  def acquire(self):
    f = open(self.path, 'a+')
    try:
      fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
      f.seek(0)
      holder = _holder(f.read())
      f.close()
      raise ValueError(f'workdir {os.path.dirname(self.path)!r} is in use by another run '
                       f'({holder}); wait for it to end, or use another --workdir') from None
    f.seek(0)
    f.truncate()
    json.dump({'host': socket.gethostname(), 'pid': os.getpid(),
               'since': time.strftime('%Y-%m-%d %H:%M:%S')}, f)
    f.flush()
    self._file = f

  def release(self):
    if self._file is not None:
      fcntl.flock(self._file, fcntl.LOCK_UN)
      self._file.close()
      self._file = None


def lock_holder(workdir: str) -> str | None:
  """Who holds WORKDIR/lock (a run training there), or None; opens the file read-only and
  takes no lock, so it writes nothing."""
  path = os.path.join(workdir, LOCK_FILE)
  if not os.path.exists(path):
    return None
  with open(path) as f:
    try:
      fcntl.flock(f, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
      return _holder(f.read())
    fcntl.flock(f, fcntl.LOCK_UN)
  return None


def _holder(text: str) -> str:
  try:
    info = json.loads(text)
    return f'pid {info["pid"]} on host {info["host"]}, since {info["since"]}'
  except (ValueError, KeyError, TypeError):
    return 'holder unknown'


def write_config(text: str, workdir: str, step: int):
  """config.json for a new run; a resumed run with a changed config keeps the old file and
  writes config_step<N>.json beside it."""
  path = os.path.join(workdir, CONFIG_FILE)
  if os.path.exists(path):
    with open(path) as f:
      if f.read() == text:
        return
    path = os.path.join(workdir, f'config_step{step}.json')
    log.warning('config differs from %s/config.json; writing %s', workdir, path)
  with open(path, 'w') as f:
    f.write(text)


def write_run_file(workdir: str, family: str, info):
  with open(os.path.join(workdir, RUN_FILE), 'w') as f:
    json.dump({'family': family, 'info': dataclasses.asdict(info)}, f)


def read_run_files(workdir: str) -> tuple[ml_collections.ConfigDict, dict]:
  """(config, run.json contents) of an existing workdir; one-line errors for broken files."""
  paths = [os.path.join(workdir, n) for n in (CONFIG_FILE, RUN_FILE)]
  missing = [p for p in paths if not os.path.exists(p)]
  if missing:
    raise ValueError(f'{workdir!r} is not a gdm workdir: {", ".join(missing)} missing')
  loaded = []
  for path in paths:
    try:
      with open(path) as f:
        loaded.append(json.load(f))
    except (OSError, ValueError) as e:
      raise ValueError(f'{path} cannot be read as JSON: {e}') from None
  config, run = loaded
  if not isinstance(run, dict) or not isinstance(run.get('family'), str):
    raise ValueError(f'{paths[1]} names no family (expected {{"family": "<name>", ...}}); '
                     f'was it written by gdm?')
  return ml_collections.ConfigDict(config), run
