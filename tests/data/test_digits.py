import numpy as np

from gdm.data import digits


def test_splits_are_disjoint_labelled_uint8():
  train, test = digits.make_source('train'), digits.make_source('test')
  assert (len(train), len(test)) == (1500, 297)
  assert train.info.shape == (8, 8, 1) and train.info.num_classes == 10
  batch = train[np.arange(5)]
  assert batch['x'].dtype == np.uint8 and batch['x'].shape == (5, 8, 8, 1)
  assert batch['y'].dtype == np.int32
  assert train.x.max() == 255 and train.x.min() == 0
  rows = {r.tobytes() for r in train.x}
  assert sum(r.tobytes() in rows for r in test.x) < 10  # a few digits are exact duplicates
  np.testing.assert_array_equal(train.x, digits.make_source('train').x)


def test_resize():
  src = digits.make_source('test', image_size=16)
  assert src.info.shape == (16, 16, 1) and src[np.arange(3)]['x'].shape == (3, 16, 16, 1)
