"""Reading user-supplied .npz files with one-line errors and no pickles."""
import os
import zipfile

import numpy as np


def read_npz(path: str, what: str) -> dict[str, np.ndarray]:
  """Every array of the .npz at `path` (`what` names it in errors, e.g. '--ref_stats').
  Rejects a missing file, a .npy or any non-zip file, object (pickled) arrays and
  non-finite numbers, each in one line naming the file."""
  if not path or not os.path.isfile(path):
    raise ValueError(f'{what}={path!r} does not exist')
  if not zipfile.is_zipfile(path):
    hint = ' (a .npy holds one array: save a dict with np.savez)' if path.endswith(
        '.npy') else ''
    raise ValueError(f'{what}={path!r} is not an .npz archive{hint}')
  try:
    with np.load(path, allow_pickle=False) as data:
      arrays = {k: data[k] for k in data.files}
  except ValueError as e:    # object arrays need pickle, which is never allowed here
    raise ValueError(f'{what}={path!r} holds pickled objects, which are not read: {e}') from None
  except (OSError, zipfile.BadZipFile, EOFError) as e:
    raise ValueError(f'{what}={path!r} cannot be read: {e}') from None
  for key, value in arrays.items():
    if not (np.issubdtype(value.dtype, np.number) or value.dtype == bool):
      raise ValueError(f'{what}={path!r}: array {key!r} has dtype {value.dtype}, not numbers')
    if np.issubdtype(value.dtype, np.floating) and not np.all(np.isfinite(value)):
      raise ValueError(f'{what}={path!r}: array {key!r} holds non-finite values')
  return arrays
