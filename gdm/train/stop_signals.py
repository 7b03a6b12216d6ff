"""SIGTERM (preemption) and SIGINT (Ctrl-C) as a flag the training loop reads between calls:
the loop then saves a checkpoint at the current step on every process and returns."""
import logging
import signal
import threading

import jax
import numpy as np
from jax.experimental import multihost_utils

log = logging.getLogger('gdm')

SIGNALS = {signal.SIGTERM: 'SIGTERM', signal.SIGINT: 'Ctrl-C'}


class StopSignals:

  def __init__(self):
    self.received = None            # the name of the first signal, e.g. 'SIGTERM'
    self._previous = {}

  def __enter__(self):
    if threading.current_thread() is threading.main_thread():
      for sig in SIGNALS:
        self._previous[sig] = signal.signal(sig, self._handle)
    return self

  def _handle(self, signum, frame):
    if self.received is not None and signum == signal.SIGINT:
      raise KeyboardInterrupt      # a second Ctrl-C: stop now, without the checkpoint
    self.received = SIGNALS[signum]
    log.warning('%s received: saving a checkpoint after the current step (Ctrl-C again to '
                'stop without it)', self.received)

  def reached(self, step: int) -> bool:
    """True on every process once any process got a signal (or JAX saw a preemption)."""
    if jax.process_count() > 1:
      flag = np.int32(self.received is not None)
      return bool(multihost_utils.process_allgather(flag).max()) or \
          multihost_utils.reached_preemption_sync_point(step)
    return self.received is not None

  def __exit__(self, *exc):
    for sig, previous in self._previous.items():
      signal.signal(sig, previous)
