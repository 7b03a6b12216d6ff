"""Flags and modes shared by every family's launcher.

python -m experiments.<family> --workdir=DIR [--config=PATH[:smoke]] [--config.KEY=VALUE ...]
    [--mode=train|eval|sample|FAMILY_MODE] [--coordinator_address=HOST:PORT --num_processes=N
    --process_id=I | --distributed_auto]
"""
import json
import logging
import os
import re
import sys

from absl import app
from absl import flags
from absl import logging as absl_logging
from ml_collections import config_flags

from gdm.utils import compile_cache

FLAGS = flags.FLAGS
BUILT_IN_MODES = ('train', 'eval', 'sample')
_console = []     # the ConsoleHandler once installed: its progress line ends before an error


def define_flags(default_config: str):
  """`default_config` is relative to experiments/configs/."""
  here = os.path.dirname(os.path.abspath(__file__))
  flags.DEFINE_string('workdir', None, 'Directory for checkpoints, logs and samples; a rerun '
                      'with the same workdir resumes.', required=True)
  flags.DEFINE_string('mode', 'train', 'train; eval or sample the newest checkpoint; or one '
                      "of the family's own modes (e.g. interpolate), listed on a bad value.")
  flags.DEFINE_string('coordinator_address', '', 'host:port of process 0 (multi-process).')
  flags.DEFINE_integer('num_processes', 1, 'Processes in a multi-process run.')
  flags.DEFINE_integer('process_id', 0, 'This process in a multi-process run.')
  flags.DEFINE_bool('distributed_auto', False, 'Let JAX detect a TPU pod / SLURM cluster.')
  flags.DEFINE_string('profile_steps', '', 'A:B writes a JAX profiler trace of train steps '
                      'A..B to WORKDIR/profile (view with TensorBoard or Perfetto).')
  flags.DEFINE_string('compile_cache', compile_cache.default_dir(), 'Persistent JAX '
                      "compilation cache: a resumed or repeated run does not compile again; "
                      "'' turns it off.")
  try:   # config_flags reads the --config.* overrides here, at definition
    config_flags.DEFINE_config_file(
        'config', os.path.join(here, 'configs', default_config), 'Config file (a '
        'get_config() module; append :smoke for the tiny variant).', lock_config=True)
  except (AttributeError, KeyError, TypeError, ValueError) as e:
    _fail(_unknown_flag_key(_innermost(e), sys.argv[1:]))


def _error_line(message: str):
  """`error: MESSAGE` as one line on stderr, on a line of its own."""
  for console in _console:
    console.end_line()
  sys.stderr.write(f'error: {" ".join(str(message).split())}\n')


def _fail(message):
  text = str(message).strip()
  if 'Traceback' in text:   # config_flags wraps a config file's exception in its traceback
    text = text.splitlines()[-1]
  _error_line(text)
  sys.exit(2)


def _unknown_flag_key(message: str, argv: list[str]) -> str:
  """ml_collections' "no such key 'k' Did you mean "x"" as one line with the dotted path of
  the --config.* flag that named it."""
  found = re.search(r"'([^']+)'", message)
  key = found.group(1) if found else ''
  hint = re.search(r'Did you mean "([^"]+)"', message)
  for arg in argv:
    parts = arg.split('=', 1)[0].removeprefix('--').split('.')
    if parts[0] == 'config' and key in parts[1:]:
      dotted = '.'.join(parts[1:parts.index(key, 1) + 1])
      parent = dotted.rpartition('.')[0]
      close = f'; did you mean {parent + "." if parent else ""}{hint.group(1)}?' if hint else ''
      return f'unknown config key {dotted!r} (flag {arg}){close}'
  return f'bad --config.* flag: no such config key {" ".join(message.split())}'


def _last_line(error: BaseException) -> str:
  """The last non-empty line of an error and of the error it was raised from."""
  while error.__cause__ is not None:
    error = error.__cause__
  lines = [line.strip() for line in str(error).splitlines() if line.strip()]
  return lines[-1] if lines else type(error).__name__


def _innermost(error: BaseException) -> str:
  """The message under ml_collections' KeyError-in-AttributeError wrapping."""
  while isinstance(error, BaseException) and error.args:
    error = error.args[0]
  return str(error)


def _parse_flags(argv):
  """absl's parser, with config-override mistakes as one-line errors, not tracebacks."""
  try:
    return FLAGS(argv)
  except flags.Error as e:
    _fail(e)
  except (AttributeError, KeyError, TypeError, ValueError) as e:
    inner = _innermost(e)
    if 'Did you mean' in inner or isinstance(e, (AttributeError, KeyError)):
      _fail(_unknown_flag_key(inner, argv[1:]))
    _fail(f'bad --config or --config.* flag: {inner}')


def main(family: str, launcher_modes=None):
  """Parses flags and runs `family` in the mode --mode asks for. `launcher_modes` (name ->
  fn(exp, state, evaluator) -> path) are modes a launcher runs itself, with flags of its
  own, on the newest checkpoint (e.g. translation's --mode=translate --input_dir)."""

  def run_main(argv):
    if len(argv) > 1:
      _fail(f'unexpected arguments: {argv[1:]}')
    try:
      FLAGS.config.keys()   # a file config_flags could not load raises on first use
    except Exception as e:   # noqa: BLE001  (whatever the config file raised)
      _fail(f'cannot load --config: {_last_line(e)}')
    run(family, launcher_modes)

  app.run(run_main, flags_parser=_parse_flags)


def parse_steps(text: str) -> tuple[int, int] | None:
  """--profile_steps=A:B -> (A, B); '' -> None."""
  if not text:
    return None
  first, sep, last = text.partition(':')
  if not (sep and first.isdigit() and last.isdigit() and int(first) < int(last)):
    raise ValueError(f'--profile_steps={text!r} must be A:B with whole numbers A < B')
  return int(first), int(last)


def _from_library(record: logging.LogRecord) -> bool:
  return any(f'{os.sep}{name}{os.sep}' in record.pathname for name in ('orbax', 'etils'))


def quiet_libraries():
  """JAX's and absl's logs only from WARNING up, and orbax's not at all (it logs every save,
  and a failed save as tracebacks from its threads, which the launcher reports as one line).
  `--verbosity=N` (absl's flag) shows everything again."""
  if FLAGS['verbosity'].present:
    return
  absl_logging.set_verbosity(absl_logging.WARNING)
  logging.getLogger('absl').addFilter(lambda record: not _from_library(record))


def setup_console(console_lib):
  """Our progress and messages at INFO as plain lines on stderr (gdm.train.console: in place
  on a terminal); warnings and errors, Python's `warnings` too, through absl's handler."""
  quiet_libraries()
  logging.captureWarnings(True)
  _console.append(console_lib.install())


def _exit_now(message: str, code: int = 2):
  """One line on stderr, then exit without waiting for threads: after a failed save orbax's
  writer threads wait forever for it, and a normal interpreter exit would join them."""
  _error_line(message)
  sys.stderr.flush()
  sys.stdout.flush()
  logging.shutdown()
  os._exit(code)


def run(family: str, launcher_modes=None):
  # Imported here so that `--help` and flag errors come before JAX starts.
  from gdm.train import distributed
  try:
    distributed.check_flags(FLAGS.coordinator_address, FLAGS.num_processes, FLAGS.process_id,
                            FLAGS.distributed_auto)
    profile = parse_steps(FLAGS.profile_steps)
  except ValueError as e:
    _fail(e)
  compile_cache.enable(FLAGS.compile_cache)
  import jax
  from experiments.families import get_family
  from gdm.train import console, experiment, loop
  from gdm.train.checkpoint import CheckpointError
  from gdm.train.evaluation import Evaluator
  from gdm.train.writer import MetricWriter

  distributed.initialize(FLAGS.coordinator_address, FLAGS.num_processes, FLAGS.process_id,
                         FLAGS.distributed_auto)
  setup_console(console)
  try:
    exp = experiment.build(FLAGS.config, FLAGS.workdir, get_family(family))
  except ValueError as e:
    _fail(str(e))
  launcher_modes = launcher_modes or {}
  modes = BUILT_IN_MODES + tuple(exp.model.modes) + tuple(launcher_modes)
  if FLAGS.mode not in modes:
    _fail(f'unknown --mode={FLAGS.mode!r} for {family}; choose one of: {", ".join(modes)}')
  if FLAGS.mode == 'train':
    try:
      loop.train(exp, profile)
    except CheckpointError as e:
      _exit_now(e)
    except loop.Interrupted as e:
      _exit_now(e, 130)
    except (loop.NonFiniteError, loop.DataError, ValueError) as e:
      _fail(str(e))
    return
  if not exp.checkpointer.all_steps():
    _fail(f'--mode={FLAGS.mode} needs a checkpoint, and {exp.checkpointer.directory} has none; '
          f'train first')
  state, resumed = exp.restore_or_init()
  if resumed is None:
    _fail(f'--mode={FLAGS.mode} needs a checkpoint, and no checkpoint in '
          f'{exp.checkpointer.directory} can be read')
  if exp.model.check_params is not None:
    try:
      exp.model.check_params(jax.device_get(state.ema_params))
    except ValueError as e:
      _fail(f'checkpoint step {resumed}: {e}')
  evaluator = Evaluator(exp)
  if FLAGS.mode == 'eval':
    scalars = evaluator.evaluate(state)
    with MetricWriter(exp.workdir, enabled=exp.is_writer) as writer:
      writer.write_scalars(resumed, scalars)
    if exp.is_writer:
      print(json.dumps({'step': resumed, **scalars}))
  elif FLAGS.mode == 'sample':
    path = evaluator.write_samples(state)
    if exp.is_writer:
      print(path)
  elif FLAGS.mode in launcher_modes:
    try:
      path = launcher_modes[FLAGS.mode](exp, state, evaluator)
    except ValueError as e:
      _fail(str(e))
    if exp.is_writer:
      print(path)
  else:
    path = evaluator.write_mode(state, FLAGS.mode)
    if exp.is_writer:
      print(path)
  jax.effects_barrier()
