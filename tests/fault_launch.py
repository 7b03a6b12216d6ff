"""Runs a launcher with a fault injected into orbax's background writer, for the tests:

  python -m tests.fault_launch FAIL_FROM_STEP FAMILY LAUNCHER_ARGS...

Every checkpoint directory orbax creates for a step >= FAIL_FROM_STEP fails in its writer
thread with ENOSPC, as a full disk does."""
import errno
import runpy
import sys

from orbax.checkpoint._src.path import async_path

FAIL_FROM = int(sys.argv[1])
_mkdir = async_path.mkdir


async def failing_mkdir(path, *args, **kwargs):
  step = str(path.name).split('.')[0]
  if step.isdigit() and int(step) >= FAIL_FROM:
    raise OSError(errno.ENOSPC, 'No space left on device', str(path))
  return await _mkdir(path, *args, **kwargs)


async_path.mkdir = failing_mkdir
family = sys.argv[2]
sys.argv = [f'experiments.{family}'] + sys.argv[3:]
runpy.run_module(f'experiments.{family}', run_name='__main__', alter_sys=True)
