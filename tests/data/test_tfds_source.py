import numpy as np
import pytest
import tensorflow_datasets as tfds

from gdm.data.tfds_source import KNOWN, TfdsSource


pytestmark = pytest.mark.usefixtures('fixed_tfds_mock')


@pytest.mark.parametrize('name', sorted(KNOWN))
def test_random_access_under_mock(name):
  with tfds.testing.mock_data(num_examples=6):
    src = TfdsSource(name, 'train')
    batch = src[np.array([4, 1, 2])]
  expected = (64, 64, 3) if name == 'celeb_a' else KNOWN[name][0]
  unlabelled = name in ('celeb_a', 'dsprites')
  assert src.info.shape == expected and len(src) == 6 and src.info.kind == 'image'
  assert batch['x'].shape == (3, *expected) and batch['x'].dtype == np.uint8
  if unlabelled:
    assert src.info.num_classes == 0 and 'y' not in batch
  else:
    assert src.info.num_classes == KNOWN[name][1] and batch['y'].dtype == np.int32


def test_resize_and_same_records_for_same_indices():
  with tfds.testing.mock_data(num_examples=4):
    src = TfdsSource('cifar10', 'test', image_size=16)
    a, b = src[np.array([0, 3])], src[np.array([3])]
  assert a['x'].shape == (2, 16, 16, 3)
  np.testing.assert_array_equal(a['x'][1], b['x'][0])
  np.testing.assert_array_equal(a['y'][1], b['y'][0])


def test_celeb_a_central_crop():
  with tfds.testing.mock_data(num_examples=2):
    src = TfdsSource('celeb_a', 'train', image_size=140)  # 140: crop only, no resize
    raw = tfds.data_source('celeb_a', split='train')[1]['image']
    x = src[np.array([1])]['x'][0]
  np.testing.assert_array_equal(x, raw[39:179, 19:159])


def test_dsprites_binary_pixels_become_8_bit():
  with tfds.testing.mock_data(num_examples=3):
    src = TfdsSource('dsprites', 'train')
    raw = np.stack([tfds.data_source('dsprites', split='train')[i]['image'] for i in range(3)])
    x = src[np.arange(3)]['x']
  assert set(np.unique(x)) <= {0, 255}
  np.testing.assert_array_equal(x == 255, raw > 0)   # real dSprites pixels are 0 or 1
