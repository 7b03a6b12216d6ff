"""Tests for gdm.train.pictures: which arrays become which pictures."""
import numpy as np

from gdm.data.config import PixelFormat
from gdm.data.source import DatasetInfo
from gdm.train import pictures
from gdm.utils import images

DIGITS = DatasetInfo('digits', (8, 8, 1), 'image', num_classes=10)
MOONS = DatasetInfo('moons', (2,), 'vector')
PIXELS = PixelFormat(scale='zero_one')


def test_images_become_grids_and_grids_keep_their_columns():
  x = np.random.default_rng(0).uniform(size=(3, 8, 8, 8, 1)).astype(np.float32)
  picture = pictures.array_picture(x, DIGITS, PIXELS, 256)
  # 3 rows x 8 columns of 8 px: factor ceil(256 / 24) = 11, 2 px separators.
  assert picture.shape == (2 + 3 * 90, 2 + 8 * 90, 1)
  flat = pictures.array_picture(x.reshape(24, 8, 8, 1), DIGITS, PIXELS, 256)
  assert flat.shape[0] == flat.shape[1]                      # 5x5 layout


def test_points_become_scatter_plots():
  points = np.concatenate([np.full((50, 2), 0.5), np.full((50, 2), -0.5)]).astype(np.float32)
  picture = pictures.array_picture(points, MOONS, PIXELS, 256)
  # 128 bins drawn as 2x2 px dots: each of the two clusters lights one dot.
  dots = images.scatter_image(points, 128).repeat(2, 0).repeat(2, 1)
  np.testing.assert_array_equal(picture, dots)
  assert picture.shape == (256, 256, 1) and np.count_nonzero(picture) == 2 * 4
  grid_of_rows = pictures.array_picture(points.reshape(2, 50, 2), MOONS, PIXELS, 0)
  np.testing.assert_array_equal(grid_of_rows, dots)


def test_scores_latents_and_labels_are_not_pictures():
  assert pictures.array_picture(np.zeros(16, np.float32), DIGITS, PIXELS, 256) is None
  assert pictures.array_picture(np.zeros((16, 20), np.float32), DIGITS, PIXELS, 256) is None
  assert pictures.array_picture(np.zeros((16, 1), np.float32), MOONS, PIXELS, 256) is None
  assert pictures.array_picture(np.arange(16), MOONS, PIXELS, 256) is None


def test_integer_maps_become_colour_grids():
  codes = np.random.default_rng(0).integers(0, 64, (16, 4, 4))
  picture = pictures.array_picture(codes, DIGITS, PIXELS, 256)
  assert picture.shape[-1] == 3 and min(picture.shape[:2]) >= 256


def test_class_columns_label_cycling_samples():
  assert pictures.class_columns(0) == {}
  captions = pictures.class_columns(3)
  assert set(captions) == {'samples', 'sample/x'}
  assert captions['samples'].cols == ('y=0', 'y=1', 'y=2')
