"""What a person sees while a run trains: one progress line per log step (step/total, a bar,
the main losses, steps/s and ETA), without logging's prefixes.

The loop logs each line through the 'gdm' logger with the record attribute `progress`; the
launcher installs a `ConsoleHandler` that writes the 'gdm' logger's INFO records as plain
text, progress lines in place on a terminal (carriage return, clear to the end of the line)
and one line each elsewhere (CI, files). Warnings and errors, ours and the libraries', still
go through logging's own handlers, which first end a line left in place. Without the
handler (gdm used as a library) the records are ordinary INFO log records.
"""
import logging
import sys
import time
from typing import Callable, Mapping, TextIO

BAR_WIDTH = 20
CLEAR_TO_END = '\x1b[K'
LOGGER = 'gdm'


def format_duration(seconds: float) -> str:
  seconds = int(round(seconds))
  hours, rest = divmod(seconds, 3600)
  minutes, secs = divmod(rest, 60)
  if hours:
    return f'{hours}h{minutes:02d}m'
  if minutes:
    return f'{minutes}m{secs:02d}s'
  return f'{secs}s'


def main_losses(scalars: Mapping[str, float]) -> dict[str, float]:
  """The scalars a person watches: every player's loss ('loss', 'generator/loss', ...), or
  when a family logs none, everything but the skip counters."""
  losses = {k: v for k, v in scalars.items() if k == 'loss' or k.endswith('/loss')}
  return losses or {k: v for k, v in scalars.items() if not k.startswith('skipped')}


def bar(step: int, total: int, width: int = BAR_WIDTH) -> str:
  done = min(width, width * step // max(total, 1))
  return '[' + '#' * done + '.' * (width - done) + ']'


class ProgressReporter:
  """Formats the console line of a logging step.

  The first line's speed is over the time since construction (compilation included); later
  lines average from the first one, so evaluation, pictures and checkpoints count as the
  run's cost and the ETA does not jump at every one of them.
  """

  def __init__(self, total_steps: int, start_step: int = 0,
               clock: Callable[[], float] = time.monotonic):
    self.total_steps = total_steps
    self._clock = clock
    self._start = (start_step, clock())
    self._first = None            # (step, time) of the first line

  def line(self, step: int, scalars: Mapping[str, float]) -> str:
    now = self._clock()
    base_step, base_time = self._first or self._start
    if self._first is None:
      self._first = (step, now)
    elapsed, done = now - base_time, step - base_step
    total = self.total_steps
    parts = [f'step {step:>{len(str(total))}}/{total} {bar(step, total)} '
             f'{100 * step // max(total, 1):3d}%']
    parts += [f'{k} {float(v):.4g}' for k, v in main_losses(scalars).items()]
    if scalars.get('skipped_total', 0):
      parts.append(f'skipped {int(scalars["skipped_total"])}')
    if elapsed > 0 and done > 0:
      rate = done / elapsed
      parts.append(f'{rate:.1f} steps/s')
      parts.append(f'ETA {format_duration(max(total - step, 0) / rate)}')
    else:
      parts.append('? steps/s')  # no steps since the first line yet
    return ' | '.join(parts)


def _is_terminal(stream) -> bool:
  try:
    return stream.isatty()
  except (AttributeError, ValueError):
    return False


class ConsoleHandler(logging.Handler):
  """Writes INFO records as their bare message; records with a `progress` attribute
  ((step, total)) replace each other in place on a terminal until the last step."""

  def __init__(self, stream: TextIO | None = None):
    super().__init__(logging.INFO)
    self.stream = stream if stream is not None else sys.stderr
    self.terminal = _is_terminal(self.stream)
    self._open = False            # a progress line is showing, not yet ended
    self.addFilter(lambda record: record.levelno < logging.WARNING)

  def end_line(self) -> None:
    """Ends a progress line left in place, so that other output starts on its own line."""
    if self._open:
      self._open = False
      self.stream.write('\n')
      self.stream.flush()

  def emit(self, record: logging.LogRecord) -> None:
    try:
      text = record.getMessage()
      progress = getattr(record, 'progress', None)
      if self.terminal and progress is not None:
        last = progress[0] >= progress[1]
        self.stream.write(f'\r{text}{CLEAR_TO_END}' + ('\n' if last else ''))
        self._open = not last
      else:
        self.end_line()
        self.stream.write(text + '\n')
      self.stream.flush()
    except Exception:   # noqa: BLE001  (logging's contract: report, never raise)
      self.handleError(record)

  def others(self, record: logging.LogRecord) -> bool:
    """A filter for logging's other handlers: they skip what this handler writes, and end
    its progress line before writing anything else."""
    if self.filter(record) and _ours(record):
      return False
    self.end_line()
    return True


def _ours(record: logging.LogRecord) -> bool:
  return record.name == LOGGER or record.name.startswith(LOGGER + '.')


def install(stream: TextIO | None = None) -> ConsoleHandler:
  """Shows the 'gdm' logger's INFO records on `stream` (default stderr) through a
  ConsoleHandler, and keeps the root logger's handlers (absl's) from repeating them."""
  console = ConsoleHandler(stream)
  logger = logging.getLogger(LOGGER)
  logger.addHandler(console)
  logger.setLevel(logging.INFO)
  for handler in logging.getLogger().handlers:
    handler.addFilter(console.others)
  return console
