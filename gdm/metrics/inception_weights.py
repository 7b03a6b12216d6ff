"""Load pytorch-fid's Inception weights (torch state_dict names, saved as .npz) into Flax.

The .npz is written by `python -m gdm.metrics.convert_inception_weights` from
`pt_inception-2015-12-05-6726825d.pth`; its keys are the torch state_dict keys (without
`num_batches_tracked`). The key <-> Flax leaf mapping is derived from the Flax model itself
(see gdm/nn/inception.py for the naming rule), so the two cannot drift apart.
"""
import functools
from collections.abc import Mapping

import jax
import jax.numpy as jnp
import numpy as np

from gdm.nn.inception import FID_IMAGE_SIZE, FIDInceptionV3
from gdm.utils.npz import read_npz

# Flax leaf name -> torch leaf name, per collection.
_LEAF_NAMES = {('params', 'kernel'): 'weight', ('params', 'scale'): 'weight',
               ('params', 'bias'): 'bias', ('batch_stats', 'mean'): 'running_mean',
               ('batch_stats', 'var'): 'running_var'}
# BatchNorm bookkeeping that torch saves but inference never reads.
_IGNORED_SUFFIX = '.num_batches_tracked'


def _to_torch_layout(flax_shape: tuple) -> tuple:
  """Conv kernel HWIO -> OIHW; dense kernel [in, out] -> [out, in]; vectors unchanged."""
  if len(flax_shape) == 4:
    h, w, i, o = flax_shape
    return (o, i, h, w)
  if len(flax_shape) == 2:
    return tuple(reversed(flax_shape))
  return tuple(flax_shape)


def _to_flax_layout(array: np.ndarray) -> np.ndarray:
  if array.ndim == 4:
    return np.transpose(array, (2, 3, 1, 0))     # OIHW -> HWIO
  if array.ndim == 2:
    return array.T                               # [out, in] -> [in, out]
  return array


def torch_key(path: tuple) -> str:
  """('params', 'Mixed_5b', 'branch1x1', 'conv', 'kernel') -> 'Mixed_5b.branch1x1.conv.weight'."""
  collection, *modules, leaf = path
  return '.'.join([*modules, _LEAF_NAMES[(collection, leaf)]])


def _leaf_table(template) -> dict[str, tuple[tuple, tuple]]:
  """{torch key: (flax path, flax shape)} for every leaf of a variables template."""
  table = {}
  for kpath, leaf in jax.tree_util.tree_flatten_with_path(template)[0]:
    path = tuple(k.key for k in kpath)
    table[torch_key(path)] = (path, tuple(leaf.shape))
  return table


@functools.lru_cache(maxsize=1)
def _model_template():
  # eval_shape traces the model without computing anything (a few seconds, once).
  x = jax.ShapeDtypeStruct((1, FID_IMAGE_SIZE, FID_IMAGE_SIZE, 3), jnp.float32)
  return jax.eval_shape(FIDInceptionV3().init, jax.random.key(0), x)


def expected_shapes() -> dict[str, tuple]:
  """{torch state_dict key: torch shape} that the Flax FIDInceptionV3 needs, in model order."""
  return {k: _to_torch_layout(s) for k, (_, s) in _leaf_table(_model_template()).items()}


def variables_from_state_dict(state: Mapping[str, np.ndarray], template=None) -> dict:
  """Torch-named arrays -> Flax variables {'params', 'batch_stats'} shaped like `template`
  (a variables pytree of arrays or ShapeDtypeStructs; default: the full FIDInceptionV3).

  Raises ValueError on a missing, unexpected or mis-shaped tensor.
  """
  table = _leaf_table(_model_template() if template is None else template)
  given = {k for k in state if not k.endswith(_IGNORED_SUFFIX)}
  missing = [k for k in table if k not in given]
  if missing:
    raise ValueError(f'Inception weights: missing tensor {missing[0]!r} '
                     f'({len(missing)} missing in all: {", ".join(missing[:5])}'
                     f'{", ..." if len(missing) > 5 else ""})')
  extra = sorted(given - table.keys())
  if extra:
    raise ValueError(f'Inception weights: unexpected tensor {extra[0]!r} '
                     f'({len(extra)} unexpected in all: {", ".join(extra[:5])}'
                     f'{", ..." if len(extra) > 5 else ""})')
  variables: dict = {}
  for key, (path, flax_shape) in table.items():
    array = np.asarray(state[key])
    want = _to_torch_layout(flax_shape)
    if array.shape != want:
      raise ValueError(f'Inception weights: tensor {key!r} has shape {array.shape}, '
                       f'expected {want}')
    if not np.issubdtype(array.dtype, np.floating):
      raise ValueError(f'Inception weights: tensor {key!r} has dtype {array.dtype}, '
                       f'expected a float type')
    node = variables
    for name in path[:-1]:
      node = node.setdefault(name, {})
    node[path[-1]] = jnp.asarray(_to_flax_layout(array), jnp.float32)
  return variables


def load_inception_params(path: str, what: str = '--inception_weights') -> dict:
  """Read a converted .npz (no pickle) into FIDInceptionV3 variables; one-line errors for a
  missing, non-zip, pickled, non-finite or mis-shaped file."""
  return variables_from_state_dict(read_npz(path, what))


def count_parameters(variables) -> int:
  """All numbers stored, running statistics included."""
  return int(sum(np.prod(x.shape) for x in jax.tree.leaves(variables)))

