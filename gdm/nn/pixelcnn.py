"""PixelCNN (van den Oord et al., 2016a, section 3.5 and table 4): a 7x7 mask-'A' conv, then
residual blocks (ReLU, 1x1 conv to h, ReLU, 3x3 mask-'B' conv, ReLU, 1x1 conv back to 2h,
added to the input), then two ReLU + 1x1 mask-'B' layers to the output parameters. All
convolutions are masked per channel group (gdm/nn/masked_conv.py), so the features of group
c at a pixel depend only on earlier pixels and the pixel's channels < c. With `row=r` every
layer computes row r only (fast sampling, gdm/nn/row_cache.py).
"""
import flax.linen as nn

from gdm.nn.masked_conv import MaskedConv


class PixelCNN(nn.Module):
  """x [B, H, W, C_in] -> [B, H, W, data_channels * outputs_per_channel]; class conditioning
  (cond [B, K]) adds a learned bias to every block, as in the conditional PixelCNN."""
  features: int                 # 2h in the paper
  num_blocks: int
  outputs_per_channel: int
  data_channels: int = 1
  first_kernel_size: int = 7
  head_features: int = 0        # 0 = features

  @nn.compact
  def __call__(self, x, cond=None, row=None):
    f, c = self.features, self.data_channels
    k = self.first_kernel_size
    x = MaskedConv(f, (k, k), 'A', c, name='in')(x, row)
    for i in range(self.num_blocks):
      y = MaskedConv(f // 2, (1, 1), 'B', c, name=f'block{i}_reduce')(nn.relu(x), row)
      y = MaskedConv(f // 2, (3, 3), 'B', c, name=f'block{i}_conv')(nn.relu(y), row)
      if cond is not None:
        y = y + nn.Dense(f // 2, use_bias=False, name=f'block{i}_cond')(cond)[:, None, None]
      x = x + MaskedConv(f, (1, 1), 'B', c, name=f'block{i}_expand')(nn.relu(y), row)
    head = self.head_features or f
    x = nn.relu(MaskedConv(head - head % c, (1, 1), 'B', c, name='head')(nn.relu(x), row))
    return MaskedConv(c * self.outputs_per_channel, (1, 1), 'B', c, name='out')(x, row)
