"""Tests for gdm.train.console: the progress line's format, and how the console handler
writes it on a pseudo-terminal (in place) and on a pipe (one line each)."""
import logging
import os
import pty

import pytest

from gdm.train import console


class FakeClock:

  def __init__(self):
    self.now = 100.0

  def __call__(self):
    return self.now


def test_progress_line_format_and_eta():
  clock = FakeClock()
  reporter = console.ProgressReporter(total_steps=5000, start_step=1000, clock=clock)
  clock.now += 200 / 35.2   # 200 steps at 35.2 steps/s
  line = reporter.line(1200, {'loss': 0.12341, 'grad_norm': 3.0, 'skipped_total': 0.0})
  # 3800 steps left at 35.2 steps/s = 108 s; only the losses are shown.
  assert line == ('step 1200/5000 [####................]  24% | loss 0.1234 | '
                  '35.2 steps/s | ETA 1m48s')
  # Later rates average from the first line; hours show for long runs; skips are shown.
  clock.now += 100.0
  assert reporter.line(1300, {'skipped_total': 2.0}) == (
      'step 1300/5000 [#####...............]  26% | skipped 2 | 1.0 steps/s | ETA 1h01m')
  assert reporter.line(1300, {}) == (
      'step 1300/5000 [#####...............]  26% | 1.0 steps/s | ETA 1h01m')
  fresh = console.ProgressReporter(total_steps=10, start_step=10, clock=clock)
  assert fresh.line(10, {}) == 'step 10/10 [####################] 100% | ? steps/s'


def test_main_losses_are_every_players_loss():
  scalars = {'generator/loss': 1.0, 'discriminator/loss': 2.0, 'grad_norm': 3.0}
  assert console.main_losses(scalars) == {'generator/loss': 1.0, 'discriminator/loss': 2.0}
  # A family without a 'loss' shows what it has, less the skip counters.
  assert console.main_losses({'cd': 1.0, 'skipped_total': 0.0}) == {'cd': 1.0}


def _emit_run(stream):
  """Progress at steps 4 and 8 of 8 with a message between them, and a warning that goes
  to another handler (as absl's would take it)."""
  handler = console.ConsoleHandler(stream)
  logger = logging.getLogger('gdm.test_console')
  logger.propagate, logger.level = False, logging.INFO
  other = logging.StreamHandler(stream)
  other.setFormatter(logging.Formatter('W %(message)s'))
  other.addFilter(handler.others)
  logger.handlers = [handler, other]
  try:
    logger.info('step 4/8 a', extra={'progress': (4, 8)})
    logger.warning('careful')
    logger.info('step 6/8 b', extra={'progress': (6, 8)})
    logger.info('step 8/8 c', extra={'progress': (8, 8)})
    logger.info('eval at step 8: x=1')
  finally:
    logger.handlers = []
  return handler


def _read_all(fd) -> str:
  out = b''
  while True:
    try:
      chunk = os.read(fd, 4096)
    except OSError:     # a pty's master reads EIO once the slave is closed
      break
    if not chunk:
      break
    out += chunk
  return out.decode()


def test_on_a_terminal_progress_is_refreshed_in_place(tmp_path):
  master, slave = pty.openpty()
  with os.fdopen(slave, 'w') as stream:
    handler = _emit_run(stream)
    assert handler.terminal
  text = _read_all(master).replace('\r\n', '\n')   # the pty's output processing
  os.close(master)
  assert text == ('\rstep 4/8 a\x1b[K\nW careful\n'           # a warning ends the line first
                  '\rstep 6/8 b\x1b[K\rstep 8/8 c\x1b[K\n'   # replaced in place; the last stays
                  'eval at step 8: x=1\n')


def test_on_a_pipe_every_progress_line_is_its_own_line():
  read, write = os.pipe()
  with os.fdopen(write, 'w') as stream:
    handler = _emit_run(stream)
    assert not handler.terminal
  with os.fdopen(read) as f:
    text = f.read()
  assert text == 'step 4/8 a\nW careful\nstep 6/8 b\nstep 8/8 c\neval at step 8: x=1\n'
  assert '\r' not in text and '\x1b' not in text


@pytest.mark.parametrize('level', [logging.WARNING, logging.ERROR])
def test_warnings_and_errors_are_left_to_logging(level):
  handler = console.ConsoleHandler(open(os.devnull, 'w'))
  record = logging.LogRecord('gdm', level, __file__, 1, 'bad', None, None)
  assert not handler.filter(record)          # the console does not write it ...
  assert handler.others(record)              # ... the other handlers do
  info = logging.LogRecord('gdm.loop', logging.INFO, __file__, 1, 'step', None, None)
  assert handler.filter(info) and not handler.others(info)
  library = logging.LogRecord('jax', logging.INFO, __file__, 1, 'x', None, None)
  assert handler.others(library)             # not ours: their handlers decide
