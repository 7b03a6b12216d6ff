"""Tests for gdm.utils.captions: labels go in margins, only where they fit."""
import numpy as np

from gdm.utils import captions, images
from gdm.utils.captions import GridLabels


def _gray_batch(n, size=8):
  return np.full((n, size, size, 1), 60, np.uint8)


def test_row_labels_sit_left_of_their_rows():
  grid = images.picture(_gray_batch(16), ncol=8, min_side=256)   # 2 rows, factor 16
  labelled = images.picture(_gray_batch(16), ncol=8, min_side=256,
                            labels=GridLabels(rows=('input', 'reconstruction')))
  margin = labelled.shape[1] - grid.shape[1]
  assert labelled.shape[0] == grid.shape[0] and margin > 0
  np.testing.assert_array_equal(labelled[:, margin:], grid)      # the grid is untouched
  text = labelled[:, :margin, 0] == captions.TEXT
  rows_with_ink = np.flatnonzero(text.any(1))
  cell = 8 * 16 + 2
  # each label's ink lies inside its own row's band
  assert text[:cell].any() and text[cell:].any()
  assert rows_with_ink.min() > 2 and rows_with_ink.max() < 2 * cell
  # 'reconstruction' is wider than 'input'
  assert np.flatnonzero(text[cell:].any(0)).max() > np.flatnonzero(text[:cell].any(0)).max()


def test_column_labels_and_title_go_above_and_set_the_columns():
  labels = GridLabels(cols=tuple(f'y={k}' for k in range(10)), title='samples')
  picture = images.picture(np.zeros((20, 32, 32, 3), np.uint8), min_side=256, labels=labels)
  plain = images.picture(np.zeros((20, 32, 32, 3), np.uint8), ncol=10, min_side=256)
  top = picture.shape[0] - plain.shape[0]
  assert picture.shape[1] == plain.shape[1] and top > 0        # 10 columns, no left margin
  np.testing.assert_array_equal(picture[top:], plain)
  assert (picture[:top] == captions.TEXT).any()


def test_labels_that_do_not_fit_are_left_out():
  # 1:1 cells of 8 px are shorter than the 11 px font: no row labels, the grid unchanged.
  batch = _gray_batch(4)
  plain = images.picture(batch, ncol=2, min_side=0)
  np.testing.assert_array_equal(
      images.picture(batch, ncol=2, min_side=0, labels=GridLabels(rows=('a', 'b'))), plain)
  # A title wider than the grid is dropped too.
  wide = GridLabels(title='a title far wider than a twenty-pixel grid')
  np.testing.assert_array_equal(images.picture(batch, ncol=2, min_side=0, labels=wide), plain)


def test_text_mask_scales_the_bitmap_font():
  one, two = captions.text_mask('y=3'), captions.text_mask('y=3', 2)
  assert one.dtype == np.uint8 and one.max() == 255 and one.shape[0] <= 12
  assert two.shape == (2 * one.shape[0], 2 * one.shape[1])
  np.testing.assert_array_equal(two[::2, ::2], one)
