"""Masked convolutions of PixelCNN (van den Oord et al., 2016a): raster order over pixels and
the order R < G < B over the channels within a pixel.

A conv's features are split into `data_channels` contiguous groups; group c carries what
is known when predicting data channel c. At the centre tap, output group g sees input group
c only if c < g (mask 'A', the first layer: the pixel's own value and later channels are
hidden) or c <= g (mask 'B', later layers: group g already depends only on what precedes
channel g). Taps in rows above the centre, and left of it in the centre row, are open; the
rest are closed. With one data channel, 'A' closes the centre tap and 'B' opens it.

`MaskedConv` also takes an explicit mask: the Gated PixelCNN's stacks build theirs from
`center_mask` (gdm/nn/gated_pixelcnn.py). With `row=r` it computes output row r only, over
the mask's rows (every mask here is closed below the centre row; gdm/nn/row_cache.py).
"""
import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from gdm.nn import row_cache
from gdm.nn.spatial_conv import kernel_init
from gdm.utils.checks import check_choice

MASK_TYPES = ('A', 'B')


def channel_groups(num_features: int, data_channels: int) -> np.ndarray:
  """Group (data channel) of each of `num_features` features: contiguous blocks."""
  if num_features % data_channels:
    raise ValueError(f'{num_features} features cannot be split into {data_channels} '
                     f'channel groups (use a multiple of {data_channels})')
  return np.arange(num_features) // (num_features // data_channels)


def center_mask(in_features: int, out_features: int, data_channels: int,
                mask_type: str) -> np.ndarray:
  """[in, out] 0/1: which input features an output feature sees at its own pixel."""
  check_choice(mask_type, MASK_TYPES, 'mask type')
  g_in = channel_groups(in_features, data_channels)[:, None]
  g_out = channel_groups(out_features, data_channels)[None, :]
  return (g_in < g_out if mask_type == 'A' else g_in <= g_out).astype(np.float32)


def raster_mask(kernel_size: tuple[int, int], in_features: int, out_features: int,
                data_channels: int, mask_type: str) -> np.ndarray:
  """[kh, kw, in, out] mask of a PixelCNN convolution (odd kernel sizes, centred)."""
  kh, kw = kernel_size
  if kh % 2 == 0 or kw % 2 == 0:
    raise ValueError(f'masked convolutions need odd kernel sizes; got {kernel_size}')
  ch, cw = kh // 2, kw // 2
  mask = np.zeros((kh, kw, in_features, out_features), np.float32)
  mask[:ch] = 1.0
  mask[ch, :cw] = 1.0
  mask[ch, cw] = center_mask(in_features, out_features, data_channels, mask_type)
  return mask


class MaskedConv(nn.Module):
  """A 'SAME' convolution whose kernel is multiplied by a fixed mask [kh, kw, in, out]
  (built by `raster_mask` when `mask` is None)."""
  features: int
  kernel_size: tuple[int, int] = (3, 3)
  mask_type: str = 'B'
  data_channels: int = 1
  mask: np.ndarray | None = None

  @nn.compact
  def __call__(self, x, row=None):
    """x [B, H, W, in] -> [B, H, W, features]; with `row`, x is the whole input or its row
    `row` (the cache holds the rows above) -> [B, 1, W, features]."""
    mask = self.mask
    if mask is None:
      mask = raster_mask(tuple(self.kernel_size), x.shape[-1], self.features,
                         self.data_channels, self.mask_type)
    kernel = self.param('kernel', kernel_init, mask.shape)
    bias = self.param('bias', nn.initializers.zeros, (self.features,))
    kernel = kernel * jnp.asarray(mask, kernel.dtype)
    kh = mask.shape[0]
    pad = ((0, 0),) + tuple((k // 2, k // 2) for k in mask.shape[:2]) + ((0, 0),)
    if row is None:
      padded = jnp.pad(x, pad)
    else:
      if np.any(mask[kh // 2 + 1:]):
        raise ValueError('row-at-a-time evaluation needs a mask closed below its centre row')
      kernel = kernel[:kh // 2 + 1]
      padded = row_cache.padded_rows(self, x, row, pad, row, kh // 2 + 1)
    y = jax.lax.conv_general_dilated(padded, kernel, (1, 1), 'VALID',
                                     dimension_numbers=('NHWC', 'HWIO', 'NHWC'))
    return y + bias
