"""Dataset names -> sources, as one explicit table so every option is visible in one place."""
import functools

from gdm.data import (digits, digits_tasks, folder, mnist_idx, tfds_source, toy,
                      translation_sources)
from gdm.data.source import Source
from gdm.utils.checks import check_choice

EMBEDDED_SPLITS = ('train', 'test')


def _toy(name, data_config, split):
  return toy.make_source(name, split, data_config.num_examples)


def _digits(data_config, split):
  return digits.make_source(split, data_config.image_size)


def _folder(data_config, split):
  return folder.FolderSource(data_config.data_dir, split, data_config.image_size,
                             skip_corrupt=data_config.skip_corrupt)


def _mnist_idx(data_config, split):
  return mnist_idx.make_source(data_config.data_dir, split, data_config.image_size)


def _tfds(name, data_config, split):
  return tfds_source.TfdsSource(name, split, data_config.data_dir, data_config.image_size)


def _digits_task(name, data_config, split):
  return digits_tasks.make_source(name, split, data_config.image_size)


def _cycle_gan(name, data_config, split):
  return translation_sources.cycle_gan(name, split, data_config.data_dir,
                                       data_config.image_size)


def _cifar10_gray(data_config, split):
  return translation_sources.gray_to_colour('cifar10_gray', 'cifar10', split,
                                            data_config.data_dir, data_config.image_size)


def _two_folders(build, data_config, split):
  return build(data_config.data_dir, split, data_config.image_size, data_config.skip_corrupt)


# Image-to-image translation data: 'x' the source image, 'y' its target (paired) or an image
# of the other domain (unpaired); see gdm.data.pairs.
TRANSLATION = {
    **{name: functools.partial(_digits_task, name) for name in digits_tasks.TASKS},
    'cifar10_gray': _cifar10_gray,
    **{f'cycle_gan/{c}': functools.partial(_cycle_gan, f'cycle_gan/{c}')
       for c in tfds_source.CYCLE_GAN},
    'paired_folder': functools.partial(_two_folders, translation_sources.paired_folder),
    'unpaired_folder': functools.partial(_two_folders, translation_sources.unpaired_folder),
}

# name -> loader(data_config, split) -> Source
DATASETS = {
    **{name: functools.partial(_toy, name) for name in toy.TOYS},
    'digits': _digits,
    'folder': _folder,
    'mnist_idx': _mnist_idx,
    **{name: functools.partial(_tfds, name) for name in tfds_source.KNOWN},
    **TRANSLATION,
}
# Datasets that ship with the code: only these two fixed splits exist.
EMBEDDED = frozenset(toy.TOYS) | {'digits'} | frozenset(digits_tasks.TASKS)


def load_source(data_config, split: str) -> Source:
  """The source for `data_config.name` and `split` (e.g. data.train_split)."""
  name = data_config.name
  check_choice(name, sorted(DATASETS), 'dataset')
  if name in EMBEDDED and split not in EMBEDDED_SPLITS:
    raise ValueError(f'dataset {name!r} has splits {", ".join(EMBEDDED_SPLITS)}, not {split!r}')
  return DATASETS[name](data_config, split)
