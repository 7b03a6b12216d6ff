"""Batches of the coming train calls read on a background thread, a few calls ahead, so that
slow host input (image decoding, augmentation on host) overlaps the device's work.

The calls' batches are a pure function of their first step, so reading ahead changes nothing
a run computes; an error while reading is raised where the loop asks for that batch."""
import queue
import threading
from typing import Callable


class Prefetcher:
  """next() -> (steps, batch) of the calls starting at `start`, in order, until `total`;
  load(start) -> (steps, batch)."""

  def __init__(self, load: Callable, start: int, total: int, depth: int = 2):
    self._queue = queue.Queue(maxsize=depth)
    self._stop = threading.Event()
    self._thread = threading.Thread(target=self._run, args=(load, start, total), daemon=True)
    self._thread.start()

  def _run(self, load, start, total):
    step = start
    while step < total and not self._stop.is_set():
      try:
        item = load(step)
      except Exception as e:   # noqa: BLE001  (raised again in the loop's thread)
        self._put(e)
        return
      self._put(item)
      step += item[0]

  def _put(self, item):
    while not self._stop.is_set():
      try:
        self._queue.put(item, timeout=0.1)
        return
      except queue.Full:
        continue

  def next(self):
    item = self._queue.get()
    if isinstance(item, Exception):
      raise item
    return item

  def close(self):
    self._stop.set()
    self._thread.join(timeout=10)
