"""Convert pytorch-fid's Inception weights (.pth) to a pickle-free .npz for gdm.

  python -m gdm.metrics.convert_inception_weights \
      pt_inception-2015-12-05-6726825d.pth inception_fid.npz

The .pth is pytorch-fid's FID_WEIGHTS_URL release asset. Only this conversion needs torch (it
is imported here, not at module level); the .npz keeps the torch key names and layouts, and
gdm.metrics.inception_weights.load_inception_params does the layout transposition.
"""
import argparse
import hashlib
import re
import sys
from collections.abc import Mapping

import numpy as np


def state_dict_to_numpy(state: Mapping) -> dict[str, np.ndarray]:
  """Torch tensors (or arrays) -> float32 numpy, dropping BatchNorm's num_batches_tracked."""
  out = {}
  for key, value in state.items():
    if key.endswith('.num_batches_tracked'):
      continue
    if hasattr(value, 'detach'):                       # a torch.Tensor
      value = value.detach().cpu().numpy()
    out[key] = np.asarray(value, np.float32)
  return out


def _check_hash(path: str):
  """torch.hub names files <name>-<first 8 hex of sha256>.pth; verify when the name says so."""
  match = re.search(r'-([0-9a-f]{8,})\.pth$', path)
  if not match:
    return
  with open(path, 'rb') as f:
    digest = hashlib.sha256(f.read()).hexdigest()
  if not digest.startswith(match.group(1)):
    raise SystemExit(f'{path}: sha256 {digest[:8]} does not match the name\'s '
                     f'{match.group(1)}; the download is corrupt or a different file')


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
  parser.add_argument('src', help='pytorch-fid .pth state dict')
  parser.add_argument('dst', help='output .npz')
  args = parser.parse_args(argv)
  try:
    import torch
  except ImportError:
    raise SystemExit('convert_inception_weights needs PyTorch to read the .pth file '
                     '(pip install torch); gdm itself does not.') from None
  _check_hash(args.src)
  state = torch.load(args.src, map_location='cpu', weights_only=True)
  arrays = state_dict_to_numpy(state)

  # Validate against the Flax model before writing, so a bad file fails here, not later.
  from gdm.metrics.inception_weights import variables_from_state_dict
  variables_from_state_dict(arrays)
  np.savez(args.dst, **arrays)
  print(f'wrote {len(arrays)} tensors to {args.dst}')


if __name__ == '__main__':
  sys.exit(main())
