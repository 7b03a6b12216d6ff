"""Text on image grids: a label per row (left of it), per column (above it) and a title,
drawn with PIL's built-in bitmap font (no font file, no download), white on black margins,
at twice the font's size on large cells. A label is left out where it does not fit even at
the font's size: taller than its row, wider than its column, row labels that would take more
than half the grid's width, a title wider than the grid."""
import dataclasses

import numpy as np
from PIL import Image, ImageDraw, ImageFont

# Pillow >= 10.1 returns a TrueType font from load_default(); the bitmap one is the same on
# every install, so pictures do not depend on the fonts a machine has.
_FONT = getattr(ImageFont, 'load_default_imagefont', ImageFont.load_default)()
TEXT = 255
MARGIN = 0
LARGE_CELL = 48        # cells at least this big get labels at twice the font's size


@dataclasses.dataclass(frozen=True)
class GridLabels:
  """Text for a grid: one label per row, one per column (a 4-D batch is then laid out with
  that many columns), a title above."""
  rows: tuple[str, ...] = ()
  cols: tuple[str, ...] = ()
  title: str = ''


def text_mask(text: str, scale: int = 1) -> np.ndarray:
  """uint8 [h, w] rendering of `text` (255 = ink), each font pixel `scale` x `scale`."""
  left, top, right, bottom = _FONT.getbbox(text)
  image = Image.new('L', (max(right - left, 1), max(bottom - top, 1)), 0)
  ImageDraw.Draw(image).text((-left, -top), text, fill=255, font=_FONT)
  return np.asarray(image).repeat(scale, axis=0).repeat(scale, axis=1)


def _fitting(texts, scales, max_h: int, max_w: int) -> list[np.ndarray]:
  """The masks of all `texts` at the first scale where every one fits, else []."""
  for scale in scales:
    masks = [text_mask(t, scale) for t in texts]
    if masks and all(m.shape[0] <= max_h and m.shape[1] <= max_w for m in masks):
      return masks
  return []


def _band(masks, gap: int) -> int:
  return max(m.shape[0] for m in masks) + 2 * gap if masks else 0


def _paste(canvas: np.ndarray, mask: np.ndarray, top: int, left: int):
  h, w = mask.shape
  canvas[top:top + h, left:left + w][mask > 0] = TEXT


def add_labels(grid: np.ndarray, labels: GridLabels, cell: tuple[int, int],
               pad: int) -> np.ndarray:
  """`grid` (from gdm.utils.images.make_grid: cells of `cell` = (h, w) pixels, `pad`
  between and around them) inside margins holding the labels that fit."""
  ch, cw = cell
  gh, gw, channels = grid.shape
  nrow, ncol = (gh - pad) // (ch + pad), (gw - pad) // (cw + pad)
  scales = (2, 1) if min(ch, cw) >= LARGE_CELL else (1,)
  gap = 3 * scales[0]
  rows = _fitting(labels.rows[:nrow], scales, ch, gw // 2 - 2 * gap)
  cols = _fitting(labels.cols[:ncol], scales, gh, cw + pad)
  title = _fitting([labels.title] if labels.title else [], scales, gh, gw)
  left = max(m.shape[1] for m in rows) + 2 * gap if rows else 0
  title_h = _band(title, gap)
  top = title_h + _band(cols, gap)
  canvas = np.full((top + gh, left + gw, channels), MARGIN, np.uint8)
  canvas[top:, left:] = grid
  for mask in title:
    _paste(canvas, mask, gap, left + (gw - mask.shape[1]) // 2)
  for j, mask in enumerate(cols):
    centre = left + pad + j * (cw + pad) + cw // 2
    _paste(canvas, mask, title_h + gap, centre - mask.shape[1] // 2)
  for i, mask in enumerate(rows):
    centre = top + pad + i * (ch + pad) + ch // 2
    _paste(canvas, mask, centre - mask.shape[0] // 2, gap)
  return canvas
