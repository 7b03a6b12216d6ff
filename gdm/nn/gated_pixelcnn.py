"""Gated PixelCNN (van den Oord et al., 2016b): a vertical and a horizontal stack, no blind
spot, gated activations tanh(a) * sigmoid(b), optional class conditioning.

- The vertical stack sees the rows strictly above a pixel: its first k x k conv closes the
  centre row; later layers may open it, since every vertical feature at row r already
  depends on rows < r only. So its receptive field grows over the whole upper image with
  no blind spot.
- The horizontal stack is a 1 x k row conv over the pixels to the left (the centre tap
  masked per channel group: 'A' in the first layer, 'B' after), plus a 1x1 link from the
  vertical stack at the same position, and a residual 1x1 (mask 'B') output.
- Class conditioning adds a learned per-class bias to every gate (the paper's h term).
The output is `data_channels * outputs_per_channel` features after two 1x1 mask-'B' layers
(channel group c holds the parameters of data channel c). With `row=r` every layer computes
row r only (fast sampling, gdm/nn/row_cache.py): the vertical stack reads whole rows, so
it is evaluated row by row, not pixel by pixel.
"""
import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from gdm.nn.masked_conv import MaskedConv, center_mask


def vertical_mask(k, in_f, out_f, open_center_row: bool):
  mask = np.zeros((k, k, in_f, out_f), np.float32)
  mask[:k // 2 + open_center_row] = 1.0
  return mask


def horizontal_mask(k, in_f, out_f, data_channels: int, mask_type: str):
  mask = np.zeros((1, k, in_f, out_f), np.float32)
  mask[0, :k // 2] = 1.0
  mask[0, k // 2] = center_mask(in_f, out_f, data_channels, mask_type)
  return mask


class GatedLayer(nn.Module):
  features: int
  kernel_size: int
  data_channels: int

  @nn.compact
  def __call__(self, v, h, cond, row=None):
    f, k, c = self.features, self.kernel_size, self.data_channels
    v_pre = MaskedConv(2 * f, mask=vertical_mask(k, v.shape[-1], 2 * f, True), name='v')(v, row)
    h_pre = MaskedConv(2 * f, mask=horizontal_mask(k, h.shape[-1], 2 * f, c, 'B'),
                       name='h')(h, row)
    # The link uses vertical features at the same position: they see only rows above. Its
    # output is split into the two gate halves, each in channel groups, like h_pre.
    h_pre = h_pre + nn.Dense(2 * f, name='v_to_h')(v_pre)
    if cond is not None:
      v_pre = v_pre + nn.Dense(2 * f, use_bias=False, name='cond_v')(cond)[:, None, None]
      h_pre = h_pre + nn.Dense(2 * f, use_bias=False, name='cond_h')(cond)[:, None, None]
    v_out = _gate(v_pre, f, c)
    h_gated = _gate(h_pre, f, c)
    h_out = h + MaskedConv(f, (1, 1), 'B', c, name='h_out')(h_gated, row)
    return v_out, h_out


def _gate(pre, f, c):
  """tanh(a) * sigmoid(b); 2f features laid out as c groups of [a-part, b-part] so that both
  halves of group g belong to channel group g of the 2f-feature masks."""
  pre = pre.reshape(pre.shape[:-1] + (c, 2, f // c))
  out = jnp.tanh(pre[..., 0, :]) * jax.nn.sigmoid(pre[..., 1, :])
  return out.reshape(pre.shape[:-3] + (f,))


class GatedPixelCNN(nn.Module):
  """x [B, H, W, C_in] (C_in a multiple of data_channels), cond [B, K] or None ->
  [B, H, W, data_channels * outputs_per_channel]."""
  features: int
  num_layers: int
  outputs_per_channel: int
  data_channels: int = 1
  kernel_size: int = 5
  first_kernel_size: int = 7
  head_features: int = 0          # width of the 1x1 head; 0 = features

  @nn.compact
  def __call__(self, x, cond=None, row=None):
    f, c, k0 = self.features, self.data_channels, self.first_kernel_size
    v = MaskedConv(f, mask=vertical_mask(k0, x.shape[-1], f, False), name='v_in')(x, row)
    h = MaskedConv(f, mask=horizontal_mask(k0, x.shape[-1], f, c, 'A'), name='h_in')(x, row)
    for i in range(self.num_layers):
      v, h = GatedLayer(f, self.kernel_size, c, name=f'gated{i}')(v, h, cond, row)
    head = self.head_features or f
    h = nn.relu(MaskedConv(head - head % c, (1, 1), 'B', c, name='head')(nn.relu(h), row))
    return MaskedConv(c * self.outputs_per_channel, (1, 1), 'B', c, name='out')(h, row)
