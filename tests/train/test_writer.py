"""Tests for gdm.train.writer: JSON lines, TensorBoard events, PNGs."""
import json
import math
import os

import numpy as np
from PIL import Image
from tensorboard.backend.event_processing import event_accumulator

from gdm.train import writer as writer_lib


def test_jsonl_lines_parse(tmp_path):
  w = writer_lib.MetricWriter(str(tmp_path), enabled=True)
  w.write_scalars(1, {'loss': np.float32(0.5), 'lr': 1e-3})
  w.write_scalars(2, {'loss': float('nan'), 'grad_norm': float('inf'), 'x': -math.inf})
  w.close()
  with open(tmp_path / 'metrics.jsonl') as f:
    lines = [json.loads(line) for line in f]  # strict enough: each line alone is valid JSON
  assert lines[0] == {'step': 1, 'loss': 0.5, 'lr': 1e-3}
  assert lines[1] == {'step': 2, 'loss': 'nan', 'grad_norm': 'inf', 'x': '-inf'}
  for line in open(tmp_path / 'metrics.jsonl'):
    assert 'NaN' not in line and 'Infinity' not in line
  records = writer_lib.read_metrics(str(tmp_path))
  assert math.isnan(records[1]['loss']) and records[1]['grad_norm'] == math.inf
  assert records[1]['x'] == -math.inf


def test_append_across_instances(tmp_path):
  with writer_lib.MetricWriter(str(tmp_path), enabled=True) as w:
    w.write_scalars(1, {'loss': 1.0})
  with writer_lib.MetricWriter(str(tmp_path), enabled=True) as w:
    w.write_scalars(2, {'loss': 0.5})
  assert writer_lib.read_metrics(str(tmp_path)) == [{'step': 1, 'loss': 1.0},
                                                     {'step': 2, 'loss': 0.5}]
  events = accumulate(tmp_path)
  assert [(e.step, e.value) for e in events.Scalars('loss')] == [(1, 1.0), (2, 0.5)]


def test_disabled_creates_nothing(tmp_path):
  workdir = tmp_path / 'run'
  w = writer_lib.MetricWriter(str(workdir), enabled=False)
  w.write_scalars(1, {'loss': 1.0})
  w.write_images(1, 'samples', np.zeros((4, 4, 3), np.uint8))
  w.flush()
  w.close()
  assert not workdir.exists()
  assert writer_lib.read_metrics(str(workdir)) == []


def accumulate(workdir):
  acc = event_accumulator.EventAccumulator(
      os.path.join(str(workdir), 'tensorboard'), size_guidance={event_accumulator.IMAGES: 0})
  acc.Reload()
  return acc


def test_tensorboard_scalars_and_images(tmp_path):
  w = writer_lib.MetricWriter(str(tmp_path), enabled=True)
  for step, loss in [(10, 1.5), (20, 0.75), (30, 0.25)]:
    w.write_scalars(step, {'loss': loss, 'lr': 0.1})
  image = np.random.default_rng(0).integers(0, 256, (6, 5, 3), dtype=np.uint8)
  w.write_images(30, 'samples', image)
  w.write_images(30, 'batch', np.zeros((4, 3, 3, 1), np.uint8))
  w.flush()
  acc = accumulate(tmp_path)
  loss = acc.Scalars('loss')
  assert [e.step for e in loss] == [10, 20, 30]
  np.testing.assert_allclose([e.value for e in loss], [1.5, 0.75, 0.25])
  [tb_image] = acc.Images('samples')
  assert (tb_image.step, tb_image.height, tb_image.width) == (30, 6, 5)
  w.close()

  png = tmp_path / 'samples' / 'samples_30.png'
  np.testing.assert_array_equal(np.asarray(Image.open(png)), image)
  # A batch is tiled into a 2x2 grid with 1-pixel padding before saving.
  assert np.asarray(Image.open(tmp_path / 'samples' / 'batch_30.png')).shape == (9, 9)
