"""Where training metrics and samples go: a JSON-lines file, TensorBoard, and PNGs (the
console line is gdm.train.console's).

Only process 0 should write (pass `enabled=jax.process_index() == 0`); other processes get
a writer whose methods do nothing, so call sites need no `if`. Every file is opened for
append: a resumed run adds to the same workdir without losing what came before. Steps that
are re-run after a restart appear again in metrics.jsonl (TensorBoard drops the stale ones
itself when it sees a step go backwards).
"""
import io
import json
import math
import os
import socket
import time
from typing import Mapping

import numpy as np
from PIL import Image
from tensorboard.compat.proto import event_pb2
from tensorboard.compat.proto import summary_pb2
from tensorboard.summary.writer.record_writer import RecordWriter

from gdm.utils import images as image_utils

METRICS_FILE = 'metrics.jsonl'
TENSORBOARD_DIR = 'tensorboard'
SAMPLES_DIR = 'samples'

# JSON has no NaN/Infinity; strict parsers reject Python's default output, so use strings.
_NON_FINITE = {'nan': math.nan, 'inf': math.inf, '-inf': -math.inf}


def _json_float(value: float) -> float | str:
  if math.isfinite(value):
    return value
  return 'nan' if math.isnan(value) else ('inf' if value > 0 else '-inf')


class _EventFile:
  """One TensorBoard event file, named so that files sort in creation order (TensorBoard
  reads a directory's files in name order; the stock writer's counter sorts 10 before 9)."""

  def __init__(self, logdir: str):
    os.makedirs(logdir, exist_ok=True)
    name = f'events.out.tfevents.{time.time_ns():020d}.{socket.gethostname()}.{os.getpid()}'
    self._records = RecordWriter(open(os.path.join(logdir, name), 'wb'))
    self.add_event(event_pb2.Event(wall_time=time.time(), file_version='brain.Event:2'))

  def add_event(self, event: event_pb2.Event):
    self._records.write(event.SerializeToString())

  def flush(self):
    self._records.flush()

  def close(self):
    self._records.close()


class MetricWriter:
  """Appends scalars to WORKDIR/metrics.jsonl and TensorBoard, images to WORKDIR/samples."""

  def __init__(self, workdir: str, enabled: bool):
    self.workdir = workdir
    self.enabled = enabled
    self._tb = None
    if enabled:
      os.makedirs(workdir, exist_ok=True)
      # Each writer gets its own event file; TensorBoard merges all files in the dir.
      self._tb = _EventFile(os.path.join(workdir, TENSORBOARD_DIR))

  def write_scalars(self, step: int, scalars: Mapping[str, float]) -> None:
    if not self.enabled:
      return
    step = int(step)
    values = {k: float(v) for k, v in scalars.items()}  # also pulls jax/numpy scalars to host
    record = {'step': step, **{k: _json_float(v) for k, v in values.items()}}
    # Opened per call so every line is on disk at once, even if the job is killed.
    with open(os.path.join(self.workdir, METRICS_FILE), 'a') as f:
      f.write(json.dumps(record, allow_nan=False) + '\n')
    summary = summary_pb2.Summary(
        value=[summary_pb2.Summary.Value(tag=k, simple_value=v) for k, v in values.items()])
    self._tb.add_event(event_pb2.Event(wall_time=time.time(), step=step, summary=summary))
    self._tb.flush()   # so a live TensorBoard sees each logged step

  def write_images(self, step: int, name: str, image_uint8: np.ndarray) -> None:
    """Saves WORKDIR/samples/{name}_{step}.png and a TensorBoard image summary.

    Takes one uint8 image (HxW, HxWx1, HxWx3) or a batch [N, H, W, C] that is tiled first.
    """
    if not self.enabled:
      return
    image = np.asarray(image_uint8)
    if image.ndim == 4:
      image = image_utils.make_grid(image)
    image_utils.save_png(os.path.join(self.workdir, SAMPLES_DIR, f'{name}_{int(step)}.png'), image)
    if image.ndim == 3:
      image = image[..., 0] if image.shape[-1] == 1 else image
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format='PNG')
    proto = summary_pb2.Summary.Image(
        height=image.shape[0], width=image.shape[1], colorspace=1 if image.ndim == 2 else 3,
        encoded_image_string=buffer.getvalue())
    summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=name, image=proto)])
    self._tb.add_event(event_pb2.Event(wall_time=time.time(), step=int(step), summary=summary))
    self._tb.flush()

  def flush(self) -> None:
    if self._tb is not None:
      self._tb.flush()

  def close(self) -> None:
    if self._tb is not None:
      self._tb.close()
      self._tb = None
    self.enabled = False  # writes after close would otherwise hit a closed event file

  def __enter__(self) -> 'MetricWriter':
    return self

  def __exit__(self, *exc) -> None:
    self.close()


def read_metrics(workdir: str) -> list[dict]:
  """Parses WORKDIR/metrics.jsonl into one dict per line, in write order.

  'nan'/'inf'/'-inf' strings are turned back into floats. Missing file: empty list.
  """
  path = os.path.join(workdir, METRICS_FILE)
  if not os.path.exists(path):
    return []
  records = []
  with open(path) as f:
    for line in f:
      if line.strip():
        record = json.loads(line)
        records.append({k: _NON_FINITE.get(v, v) if isinstance(v, str) else v
                        for k, v in record.items()})
  return records
