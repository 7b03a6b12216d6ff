import numpy as np
import pytest

from experiments.configs.default import get_config
from gdm.data import DATASETS, Pipeline, load_source


def _config(**overrides):
  config = get_config().data
  config.update(overrides)
  return config


def test_every_name_is_registered():
  expected = {'moons', 'eight_gaussians', 'grid25', 'checkerboard', 'swissroll', 'circles',
              'pinwheel', 'gaussian', 'digits', 'folder', 'mnist_idx', 'mnist', 'fashion_mnist',
              'cifar10', 'celeb_a', 'svhn_cropped'}
  assert expected <= set(DATASETS)


def test_unknown_dataset_is_named():
  with pytest.raises(ValueError, match=r"unknown dataset 'foo'; choose one of: .*moons"):
    load_source(_config(name='foo'), 'train')


@pytest.mark.parametrize('name', ['moons', 'digits'])
def test_embedded_datasets_reject_other_splits(name):
  with pytest.raises(ValueError, match="'validation'"):
    load_source(_config(name=name), 'validation')


def test_num_examples_and_loading():
  src = load_source(_config(name='pinwheel', num_examples=300), 'test')
  assert len(src) == 300 and src.info.name == 'pinwheel'
  assert load_source(_config(name='digits', image_size=12), 'train').info.shape == (12, 12, 1)


@pytest.mark.parametrize('name', ['eight_gaussians', 'digits'])
def test_pipeline_batch_independent_of_process_count(name):
  src = load_source(_config(name=name, num_examples=1000), 'train')
  whole = Pipeline(src, 64, seed=3)
  parts = [Pipeline(src, 64, seed=3, process_index=p, process_count=2) for p in range(2)]
  for step in (0, 5, whole.steps_per_epoch + 1):
    one = whole.batch(step)
    two = [p.batch(step) for p in parts]
    for key in one:
      np.testing.assert_array_equal(one[key], np.concatenate([b[key] for b in two]))
