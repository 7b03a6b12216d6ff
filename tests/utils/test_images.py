"""Tests for gdm.utils.images: grid layout, PNG round trip, 2-D scatter and waveform rendering."""
import numpy as np
import pytest
from PIL import Image

from gdm.utils import images


def _distinct_images(n, h, w, c):
  # Image k is filled with value k + 1, so its cell is identifiable and never the pad value 0.
  return np.broadcast_to(np.arange(1, n + 1, dtype=np.uint8)[:, None, None, None],
                         (n, h, w, c)).copy()


@pytest.mark.parametrize('n, ncol, shape', [
    (16, None, (4 * 9 + 1, 4 * 9 + 1)),  # 4x4
    (10, None, (3 * 9 + 1, 4 * 9 + 1)),  # ceil(sqrt(10)) = 4 columns, 3 rows
    (1, None, (10, 10)),
    (6, 2, (3 * 9 + 1, 2 * 9 + 1)),
])
def test_grid_shape(n, ncol, shape):
  grid = images.make_grid(_distinct_images(n, 8, 8, 3), ncol=ncol)
  assert grid.shape == (*shape, 3)
  assert grid.dtype == np.uint8


def test_grid_placement_and_padding():
  h, w, pad, ncol = 5, 7, 2, 3
  grid = images.make_grid(_distinct_images(8, h, w, 1), ncol=ncol, pad=pad)
  for k in range(8):
    top = pad + (k // ncol) * (h + pad)
    left = pad + (k % ncol) * (w + pad)
    assert np.all(grid[top:top + h, left:left + w] == k + 1)
  assert np.all(grid[:pad] == 0) and np.all(grid[:, :pad] == 0)
  # The ninth cell is unused and stays empty.
  assert np.all(grid[pad + 2 * (h + pad):, pad + 2 * (w + pad):] == 0)


def test_grid_rejects_bad_input():
  with pytest.raises(ValueError):
    images.make_grid(np.zeros((2, 4, 4, 2), np.uint8))
  with pytest.raises(ValueError):
    images.make_grid(np.zeros((2, 4, 4, 3), np.float32))


@pytest.mark.parametrize('shape', [(6, 9), (6, 9, 1), (6, 9, 3)])
def test_png_round_trip(tmp_path, shape):
  image = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
  path = tmp_path / 'a' / 'b' / 'x.png'
  images.save_png(str(path), image)
  loaded = np.asarray(Image.open(path))
  np.testing.assert_array_equal(loaded, image.reshape(loaded.shape))


def test_scatter_image_lights_up_where_points_are():
  points = np.array([[0.5, 0.5], [-0.5, -0.5]] * 10)
  image = images.scatter_image(points, size=64, lim=1.0)
  assert image.shape == (64, 64, 1) and image.dtype == np.uint8
  # x = 0.5 -> column 48; y = 0.5 -> row 63 - 48 = 15 (y grows upwards, row 0 at the top).
  # (-0.5, -0.5) -> column 16, row 63 - 16 = 47.
  assert image[15, 48, 0] == 255 and image[47, 16, 0] == 255
  assert np.count_nonzero(image) == 2


def test_scatter_image_default_lim_and_log_scale():
  rng = np.random.default_rng(0)
  points = rng.normal(size=(50000, 2)) * 3.0 + 100.0 * (rng.uniform(size=(50000, 1)) > 0.9999)
  image = images.scatter_image(points, size=64)
  assert image.max() == 255
  # Data-derived limits ignore the few far outliers and keep the bulk of the samples
  # filling the centre of the view rather than a few pixels of it.
  assert image[32 - 8:32 + 8, 32 - 8:32 + 8].min() > 0
  assert image[0, 0, 0] == 0
  # Log scaling: a lone point is still clearly visible next to a dense cluster.
  dense = np.concatenate([np.zeros((10000, 2)), [[0.9, 0.9]]])
  lone = images.scatter_image(dense, size=32, lim=1.0)
  assert 0 < lone[1, 30, 0] < 255 and lone[1, 30, 0] > 10


@pytest.mark.parametrize('channels', [1, 3])
def test_picture_upscales_to_the_short_side_with_separators(channels):
  batch = _distinct_images(64, 8, 8, channels)      # an 8x8 grid of 8x8 images: 64 px
  grid = images.picture(batch, min_side=256)
  # Factor 4 (32 px cells), 2 px separators: 2 + 8 * (32 + 2) = 274 on both sides.
  assert grid.shape == (274, 274, channels) and grid.dtype == np.uint8
  for k in range(64):
    top, left = 2 + (k // 8) * 34, 2 + (k % 8) * 34
    np.testing.assert_array_equal(grid[top:top + 32, left:left + 32], k + 1)
    # nearest neighbour: every source pixel is a 4x4 block
  for line in range(0, 274, 34):
    assert np.all(grid[line:line + 2] == images.SEPARATOR)        # horizontal separators
    assert np.all(grid[:, line:line + 2] == images.SEPARATOR)     # vertical separators


def test_picture_scales_by_the_grids_short_side_and_keeps_pixels():
  rng = np.random.default_rng(0)
  batch = rng.integers(0, 256, (16, 5, 7, 3), dtype=np.uint8)
  grid = images.picture(batch, ncol=8, min_side=100)     # 2 rows x 8 cols: 10 x 56 px
  assert grid.shape == (2 + 2 * (50 + 2), 2 + 8 * (70 + 2), 3)   # factor 10
  np.testing.assert_array_equal(grid[2:52:10, 2:72:10], batch[0])
  np.testing.assert_array_equal(grid[54:104:10, 2 + 7 * 72:72 + 7 * 72:10], batch[15])
  # min_side=0 draws 1:1 with 1 px separators; a long strip stops at MAX_SIDE.
  assert images.picture(batch, ncol=8, min_side=0).shape == (1 + 2 * 6, 1 + 8 * 8, 3)
  strip = images.picture(_distinct_images(64, 8, 8, 1), ncol=64, min_side=256)
  assert strip.shape == (2 + 4 * 8 + 2, 2 + 64 * (4 * 8 + 2), 1)   # factor 4: 2048 px of images


def test_unused_cells_are_black_not_separator():
  grid = images.picture(_distinct_images(3, 4, 4, 1), ncol=2, min_side=0)
  assert np.all(grid[6:10, 6:10] == 0) and grid[5, 5] == images.SEPARATOR


def test_index_maps_give_one_colour_per_index():
  maps = np.array([[[0, 1], [2, 1]], [[2, 2], [0, 5]]])
  rgb = images.index_maps(maps)
  assert rgb.shape == (2, 2, 2, 3) and rgb.dtype == np.uint8
  np.testing.assert_array_equal(rgb[0, 0, 1], rgb[0, 1, 1])     # both code 1
  np.testing.assert_array_equal(rgb[0, 1, 0], rgb[1, 0, 0])     # both code 2
  assert len({tuple(rgb[0, 0, 0]), tuple(rgb[0, 0, 1]), tuple(rgb[0, 1, 0])}) == 3


def test_waveform_image_spans_each_columns_min_to_max():
  silence = np.zeros(8)
  ramp = np.linspace(-1, 1, 8)                     # two samples per column at width 4
  image = images.waveform_image(np.stack([silence, ramp]), height=5, width=4)
  assert image.shape == (2 * 6, 4, 1) and image.dtype == np.uint8
  strip = image[:5, :, 0] // 255
  np.testing.assert_array_equal(strip, np.repeat(np.arange(5)[:, None] == 2, 4, 1))  # middle row
  ramp_strip = image[6:11, :, 0] // 255
  # Column j spans ramp[2j], ramp[2j+1]: rising, so the lit rows move from bottom to top.
  lit = [np.flatnonzero(ramp_strip[:, j]) for j in range(4)]
  assert lit[0].max() == 4 and lit[-1].min() == 0
  assert all(a.min() >= b.min() for a, b in zip(lit, lit[1:]))
  assert image[5].max() == 0 and image[11].max() == 0      # the separating rows
  with pytest.raises(ValueError, match=r'expected audio clips \[N, T\], got \(8,\)'):
    images.waveform_image(silence)
