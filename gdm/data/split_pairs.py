"""Splits pix2pix's side-by-side pair images (facades, maps, edges2shoes, ...: each file the
source and target next to each other, AB) into the `paired_folder` layout.

  python -m gdm.data.split_pairs SRC DST [--swap]

Every image under SRC (e.g. SRC/train/1.jpg) becomes DST/A/train/1.png (its left half) and
DST/B/train/1.png (its right half); --swap puts the right half in A (facades are photo|labels,
and pix2pix translates labels -> photo). Existing files in DST are never overwritten.
"""
import argparse
import os
import sys

from PIL import Image

from gdm.data.folder import EXTENSIONS


def split(src: str, dst: str, swap: bool = False) -> int:
  """Writes the halves of every image under `src`; returns how many images it split."""
  jobs = []
  for root, dirs, files in os.walk(src):
    dirs.sort()
    for f in sorted(files):
      if f.lower().endswith(EXTENSIONS):
        rel = os.path.splitext(os.path.relpath(os.path.join(root, f), src))[0] + '.png'
        jobs.append((os.path.join(root, f), rel))
  if not jobs:
    raise ValueError(f'no images under {src!r}')
  taken = [os.path.join(dst, side, rel) for _, rel in jobs for side in 'AB'
           if os.path.exists(os.path.join(dst, side, rel))]
  if taken:
    raise ValueError(f'{taken[0]} exists; choose an empty destination')
  for path, rel in jobs:
    with Image.open(path) as im:
      w, h = im.size
      if w % 2:
        raise ValueError(f'{path} is {w} pixels wide: not two halves side by side')
      halves = [im.crop((0, 0, w // 2, h)), im.crop((w // 2, 0, w, h))]
    for side, half in zip('AB', halves[::-1] if swap else halves):
      out = os.path.join(dst, side, rel)
      os.makedirs(os.path.dirname(out), exist_ok=True)
      half.save(out)
  return len(jobs)


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument('src')
  parser.add_argument('dst')
  parser.add_argument('--swap', action='store_true', help='right half -> A, left -> B')
  args = parser.parse_args(argv)
  try:
    n = split(args.src, args.dst, args.swap)
  except ValueError as e:
    sys.stderr.write(f'error: {e}\n')
    sys.exit(2)
  print(f'split {n} images into {os.path.join(args.dst, "A")} and {os.path.join(args.dst, "B")}')


if __name__ == '__main__':
  main()
