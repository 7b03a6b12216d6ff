"""Translation data: the embedded tasks are what they say, pairs stay together through
shuffling, sharding, resume and flips, and unpaired domains are drawn independently."""
import jax
import numpy as np
import pytest

from gdm.data import digits_tasks, pairs
from gdm.data.config import PixelFormat
from gdm.data.pipeline import DomainPipeline, Pipeline, make_pipeline
from gdm.data.preprocess import make_prepare, to_uint8
from gdm.data.registry import load_source
from gdm.data.source import ArraySource, DatasetInfo
from gdm.train.config import DataConfig
from tests.helpers import one_line_error


def task(name, split='train', size=16):
  return load_source(DataConfig(name=name, image_size=size), split)


def test_digits_edges_pairs_each_digit_with_its_outline():
  src = task('digits_edges')
  assert src.info.is_translation and src.info.pairing == 'paired' and len(src) == 1500
  assert src.info.shape == src.info.target_shape == (16, 16, 1)
  b = src[np.arange(20)]
  np.testing.assert_array_equal(b['x'], digits_tasks.outline(b['y']))
  assert set(np.unique(b['x'])) == {0, 255}
  # The outline lies just outside the stroke: never on it, always next to it.
  stroke = b['y'][..., 0] >= digits_tasks.STROKE_THRESHOLD
  edge = b['x'][..., 0] > 0
  assert not (edge & stroke).any() and edge.sum() > stroke.sum() // 2


def test_digits_colorize_is_gray_to_class_colour():
  src = task('digits_colorize', 'test')
  assert src.info.shape == (16, 16, 1) and src.info.target_shape == (16, 16, 3)
  b = src[np.arange(50)]
  np.testing.assert_array_equal(b['x'], pairs.gray(b['y']))
  labels = task('digits', 'test')[np.arange(50)]['y']
  brightest = b['y'].reshape(50, -1, 3)[np.arange(50), b['x'].reshape(50, -1).argmax(1)]
  hue = brightest / brightest.max(1, keepdims=True)
  palette = digits_tasks.PALETTE[labels] / digits_tasks.PALETTE[labels].max(1, keepdims=True)
  np.testing.assert_allclose(hue, palette, atol=0.05)


def test_digits_invert_domains():
  train, test = task('digits_invert'), task('digits_invert', 'test')
  a, b = train.domains
  assert (len(a), len(b), train.info.pairing) == (750, 750, 'unpaired')
  digits = task('digits')[np.arange(1500)]['x']
  np.testing.assert_array_equal(a[np.arange(750)]['x'], digits[0::2])
  np.testing.assert_array_equal(b[np.arange(750)]['x'], 255 - digits[1::2])
  held_out = test[np.arange(len(test))]
  np.testing.assert_array_equal(held_out['y'], 255 - held_out['x'])   # the known mapping


def test_gray_to_colour_needs_colour():
  gray = ArraySource(DatasetInfo('g', (4, 4, 1), 'image'), np.zeros((3, 4, 4, 1), np.uint8))
  assert 'need a colour (RGB) image source' in one_line_error(
      lambda: pairs.GrayToColour('g_gray', gray))


def _images(n, shape, offset=0):
  x = (np.arange(n)[:, None, None, None] + offset + np.zeros((1,) + shape)).astype(np.uint8)
  return ArraySource(DatasetInfo('s', shape, 'image', num_examples=n), x)


def test_paired_source_errors():
  assert "p: 5 source images but 4 targets" in one_line_error(
      lambda: pairs.PairedSource('p', _images(5, (4, 4, 1)), _images(4, (4, 4, 1))))
  assert "p: source images are 4x4 but target images 8x8" in one_line_error(
      lambda: pairs.PairedSource('p', _images(5, (4, 4, 1)), _images(5, (8, 8, 3))))
  assert 'p: domain B has no images' in one_line_error(
      lambda: pairs.UnpairedSource('p', _images(5, (4, 4, 1)), _images(0, (4, 4, 1))))


@pytest.mark.parametrize('shuffle', [True, False])
def test_pairs_survive_shuffling_sharding_and_resume(shuffle):
  """x and y of every example carry its index (y = index + 100): any split of a pair
  shows up as a mismatch; two processes' slices make up the one-process batch."""
  src = pairs.PairedSource('p', _images(50, (4, 4, 1)), _images(50, (4, 4, 1), offset=100))
  whole = Pipeline(src, 8, seed=3, shuffle=shuffle)
  parts = [Pipeline(src, 8, seed=3, shuffle=shuffle, process_index=i, process_count=2)
           for i in range(2)]
  for step in (0, 5, 6, 13):   # 6 steps per epoch: 13 is in the third epoch
    b = whole.batch(step)
    np.testing.assert_array_equal(b['y'], b['x'] + 100)
    np.testing.assert_array_equal(b['x'][:, 0, 0, 0], b['index'])
    joined = {k: np.concatenate([p.batch(step)[k] for p in parts]) for k in b}
    for k in b:
      np.testing.assert_array_equal(joined[k], b[k])
    resumed = Pipeline(src, 8, seed=3, shuffle=shuffle).batch(step)   # a fresh process
    np.testing.assert_array_equal(resumed['x'], b['x'])


def test_pairs_are_mirrored_together_and_domains_apart():
  edges = task('digits_edges')
  pixels = PixelFormat()
  batch = {k: jax.numpy.asarray(v) for k, v in Pipeline(edges, 64, seed=0).batch(0).items()}
  out = make_prepare(pixels, edges.info, random_flip=True)(batch, jax.random.key(1), True)
  x, y = np.asarray(to_uint8(out['x'], pixels)), np.asarray(to_uint8(out['y'], pixels))
  np.testing.assert_array_equal(x, digits_tasks.outline(y))
  flipped = (x != np.asarray(batch['x'])).any((1, 2, 3))
  assert 0 < flipped.sum() < 64
  # Two domains: each image is flipped on its own coin.
  invert = task('digits_invert')
  raw = make_pipeline(invert, 64, seed=0).batch(0)
  raw = {k: jax.numpy.asarray(v) for k, v in raw.items()}
  out = make_prepare(pixels, invert.info, random_flip=True)(raw, jax.random.key(1), True)
  flip_x = (np.asarray(to_uint8(out['x'], pixels)) != np.asarray(raw['x'])).any((1, 2, 3))
  flip_y = (np.asarray(to_uint8(out['y'], pixels)) != np.asarray(raw['y'])).any((1, 2, 3))
  assert (flip_x != flip_y).any()


def test_unpaired_domains_are_drawn_independently():
  a, b = _images(40, (2, 2, 1)), _images(30, (2, 2, 1), offset=100)
  src = pairs.UnpairedSource('u', a, b)
  pipe = make_pipeline(src, 10, seed=7)
  assert isinstance(pipe, DomainPipeline)
  steps = range(60)      # 15 epochs of A, 20 of B
  batches = [pipe.batch(s) for s in steps]
  for bt in batches:
    np.testing.assert_array_equal(bt['x'][:, 0, 0, 0], bt['index'])
    np.testing.assert_array_equal(bt['y'][:, 0, 0, 0], bt['y_index'] + 100)
  # A's draws do not depend on B at all: the same with a different domain B.
  other = make_pipeline(pairs.UnpairedSource('u', a, _images(17, (2, 2, 1))), 10, seed=7)
  for s in (0, 9, 33):
    np.testing.assert_array_equal(other.batch(s)['index'], batches[s]['index'])
  # Over 15 epochs each A image meets ~12.6 distinct B images (a fixed pairing: 1), and
  # the coarse contingency table of (A block, B block) is flat (expected 50 per cell).
  met = np.zeros((40, 30))
  for bt in batches:
    np.add.at(met, (bt['index'], bt['y_index']), 1)
  assert met.sum() == 600 and (met > 0).sum(1).min() >= 8 and met.max() <= 5
  blocks = met.reshape(4, 10, 3, 10).sum((1, 3))
  assert np.abs(blocks - 50).max() < 25, blocks
  # Equal sizes still give two different orders.
  same = make_pipeline(pairs.UnpairedSource('u', a, _images(40, (2, 2, 1))), 10, seed=7)
  assert not np.array_equal(same.batch(0)['index'], same.batch(0)['y_index'])


def test_unpaired_sharding_and_resume():
  src = task('digits_invert')
  whole = make_pipeline(src, 8, seed=1)
  parts = [make_pipeline(src, 8, seed=1, process_index=i, process_count=2) for i in range(2)]
  for step in (0, 93, 94, 200):     # 93 steps per epoch of either domain
    b = whole.batch(step)
    joined = {k: np.concatenate([p.batch(step)[k] for p in parts]) for k in b}
    for k in b:
      np.testing.assert_array_equal(joined[k], b[k])
    fresh = make_pipeline(src, 8, seed=1).batches(step, 2)
    np.testing.assert_array_equal(fresh['y'][0], b['y'])
