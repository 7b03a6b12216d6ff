"""Dataset names -> sources, as one explicit table so every option is visible in one place."""
import functools

from gdm.data import digits, folder, mnist_idx, tfds_source, toy
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


# name -> loader(data_config, split) -> Source
DATASETS = {
    **{name: functools.partial(_toy, name) for name in toy.TOYS},
    'digits': _digits,
    'folder': _folder,
    'mnist_idx': _mnist_idx,
    **{name: functools.partial(_tfds, name) for name in tfds_source.KNOWN},
}
# Datasets that ship with the code: only these two fixed splits exist.
EMBEDDED = frozenset(toy.TOYS) | {'digits'}


def load_source(data_config, split: str) -> Source:
  """The source for `data_config.name` and `split` (e.g. data.train_split)."""
  name = data_config.name
  check_choice(name, sorted(DATASETS), 'dataset')
  if name in EMBEDDED and split not in EMBEDDED_SPLITS:
    raise ValueError(f'dataset {name!r} has splits {", ".join(EMBEDDED_SPLITS)}, not {split!r}')
  return DATASETS[name](data_config, split)
