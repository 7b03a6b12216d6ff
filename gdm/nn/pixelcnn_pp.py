"""PixelCNN++ network (Salimans et al., 2017): two streams of down-shifted convolutions, a
U-net of gated residual blocks with stride-2 down- and up-sampling and shortcut connections
from the up pass to the down pass, concat_elu nonlinearities and dropout.

Causality by construction (checked by gradients in tests/nn/test_autoregressive_causality.py):
- the `u` stream at (r, c) depends on input rows < r: down-shifted convs (2 x 3 kernels
  over rows r-1..r, then at the input an extra down shift);
- the `ul` stream at (r, c) depends on rows < r and row r left of c: down-right-shifted
  convs (2 x 2 kernels over rows r-1..r, columns c-1..c) plus the `u` stream;
- a stride-2 level keeps this in the coarse grid: coarse (R, C) stands for fine (2R, 2C)
  and the transposed convs feed fine (r, c) only from coarse (r // 2, c // 2) (2 x 2
  kernel, stride 2) or, for `u`, coarse row r // 2.
The output [B, H, W, P] parameterises each whole pixel (all channels: the channel order lives
in the likelihood's linear coefficients, gdm/objectives/logistic_mixture.py), so output at
pixel i depends on pixels before i only. Weight normalisation and data-dependent
initialisation of the paper are not used (plain init, Adam).

With `row=r` (fine-grid row) every layer computes only its current row (level l: r >> l),
for fast sampling (gdm/nn/row_cache.py): both streams' convolutions read rows at or above
their output row, the stride-2 convolutions coarse row r >> 1 from fine rows 2(r >> 1) - 1
and 2(r >> 1), and the transposed convolutions fine row r from coarse row r >> 1 alone.
"""
import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.nn import row_cache
from gdm.nn.spatial_conv import kernel_init


def concat_elu(x):
  return nn.elu(jnp.concatenate([x, -x], axis=-1))


def down_shift(x):
  return jnp.pad(x, ((0, 0), (1, 0), (0, 0), (0, 0)))[:, :-1]


def right_shift(x):
  return jnp.pad(x, ((0, 0), (0, 0), (1, 0), (0, 0)))[:, :, :-1]


def _at(row, level: int):
  """The current row at `level` (level 0 = the image) of fine row `row`; None: full pass."""
  return None if row is None else row >> level


class ShiftedConv(nn.Module):
  """'down': kernel (kh, kw) over rows r-kh+1..r, columns centred (kw odd);
  'down_right': over rows r-kh+1..r, columns c-kw+1..c. Optional stride 2; `delay` rows of
  down shift after the conv (the input layers')."""
  features: int
  kernel_size: tuple[int, int]
  shift: str = 'down'
  stride: int = 1
  delay: int = 0

  @nn.compact
  def __call__(self, x, row=None):
    """With `row` (the current row of x's grid; x whole or that row): output row
    (row - delay) // stride only."""
    kh, kw = self.kernel_size
    cols = ((kw - 1) // 2, (kw - 1) // 2) if self.shift == 'down' else (kw - 1, 0)
    pad = ((0, 0), (kh - 1, 0), cols, (0, 0))
    conv = nn.Conv(self.features, (kh, kw), strides=self.stride, padding='VALID',
                   kernel_init=kernel_init, name='conv')
    if row is None:
      y = conv(jnp.pad(x, pad))
      for _ in range(self.delay):
        y = down_shift(y)
      return y
    out_row = (row - self.delay) // self.stride
    y = conv(row_cache.padded_rows(self, x, row, pad, jnp.maximum(out_row, 0) * self.stride,
                                   kh, self.stride))
    return jnp.where(out_row >= 0, y, 0.0) if self.delay else y


class ShiftedDeconv(nn.Module):
  """Stride-2 upsampling: fine (r, c) from coarse row r // 2 ('down', 2 x 3 kernel) or from
  coarse (r // 2, c // 2) ('down_right', 2 x 2 kernel)."""
  features: int
  shift: str = 'down'

  @nn.compact
  def __call__(self, x, row=None):
    """With `row` (fine): x is coarse row row >> 1 -> fine row `row`."""
    kw = 3 if self.shift == 'down' else 2
    y = nn.ConvTranspose(self.features, (2, kw), strides=(2, 2), padding='VALID',
                         kernel_init=kernel_init, name='deconv')(x)
    if row is not None:          # kernel height = stride: each coarse row makes 2 fine rows
      y = jax.lax.dynamic_slice_in_dim(y, row % 2, 1, axis=1)
    return y[:, :, 1:] if kw == 3 else y     # [2H, 2W + 1] -> [2H, 2W]


class GatedResnet(nn.Module):
  features: int
  shift: str
  dropout: float

  @nn.compact
  def __call__(self, x, aux, cond, train: bool, row=None):
    kernel = (2, 3) if self.shift == 'down' else (2, 2)
    h = ShiftedConv(self.features, kernel, self.shift, name='conv1')(concat_elu(x), row)
    if aux is not None:
      h = h + nn.Dense(self.features, name='aux')(concat_elu(aux))
    h = nn.Dropout(self.dropout, deterministic=not train)(concat_elu(h))
    h = ShiftedConv(2 * self.features, kernel, self.shift, name='conv2')(h, row)
    if cond is not None:
      h = h + nn.Dense(2 * self.features, use_bias=False, name='cond')(cond)[:, None, None]
    a, b = jnp.split(h, 2, axis=-1)
    return x + a * jax.nn.sigmoid(b)


class PixelCNNPP(nn.Module):
  """x [B, H, W, C] in [-1, 1] -> [B, H, W, outputs]; H and W divisible by 2**(levels-1)."""
  features: int
  num_resnet: int                 # gated resnet blocks per level (the paper: 5)
  outputs: int
  levels: int = 3
  dropout: float = 0.5

  @nn.compact
  def __call__(self, x, cond=None, train: bool = False, row=None):
    f, n = self.features, self.num_resnet
    # A channel of ones marks the image inside the zero padding of the shifted convs.
    x = jnp.concatenate([x, jnp.ones(x.shape[:-1] + (1,), x.dtype)], axis=-1)
    u = ShiftedConv(f, (2, 3), 'down', delay=1, name='u_in')(x, row)
    ul = (ShiftedConv(f, (1, 3), 'down', delay=1, name='ul_in_up')(x, row)
          + right_shift(ShiftedConv(f, (2, 1), 'down_right', name='ul_in_left')(x, row)))
    us, uls = [u], [ul]

    def block(name, u, ul, u_aux, ul_aux, r):
      u = GatedResnet(f, 'down', self.dropout, name=f'{name}_u')(u, u_aux, cond, train, r)
      ul_aux = u if ul_aux is None else jnp.concatenate([u, ul_aux], axis=-1)
      ul = GatedResnet(f, 'down_right', self.dropout, name=f'{name}_ul')(ul, ul_aux, cond,
                                                                          train, r)
      return u, ul

    for level in range(self.levels):
      for i in range(n):
        u, ul = block(f'up{level}_{i}', u, ul, None, None, _at(row, level))
        us.append(u)
        uls.append(ul)
      if level < self.levels - 1:
        r = _at(row, level)
        u = ShiftedConv(f, (2, 3), 'down', 2, name=f'down{level}_u')(u, r)
        ul = ShiftedConv(f, (2, 2), 'down_right', 2, name=f'down{level}_ul')(ul, r)
        us.append(u)
        uls.append(ul)

    u, ul = us.pop(), uls.pop()
    for level in range(self.levels):
      scale = self.levels - 1 - level            # this pass goes from coarse to fine
      for i in range(n + (level > 0)):
        u, ul = block(f'dn{level}_{i}', u, ul, us.pop(), uls.pop(), _at(row, scale))
      if level < self.levels - 1:
        r = _at(row, scale - 1)
        u = ShiftedDeconv(f, 'down', name=f'up{level}_u')(u, r)
        ul = ShiftedDeconv(f, 'down_right', name=f'up{level}_ul')(ul, r)
    return nn.Dense(self.outputs, name='out')(nn.elu(ul))
