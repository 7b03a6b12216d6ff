"""StyleGAN2's resampling with the separable FIR low-pass filter [1, 3, 3, 1] (upfirdn2d of
the official code; Zhang, 2019, "Making convolutional networks shift-invariant again").

`upsample_2x` inserts zeros between pixels and filters with gain 4 (a constant image stays
constant); `blur` filters with gain 1 and the given padding, to be followed by a stride-2
convolution (the official conv_downsample_2d). Both act per channel (depthwise).
"""
import jax
import jax.numpy as jnp
import numpy as np

TAPS = (1.0, 3.0, 3.0, 1.0)


def _kernel(channels: int, gain: float, dtype) -> jax.Array:
  k = np.outer(TAPS, TAPS)
  k = k / k.sum() * gain          # symmetric: convolution and correlation agree
  return jnp.asarray(np.tile(k[:, :, None, None], (1, 1, 1, channels)), dtype)


def _depthwise(x, kernel, padding, dilation=(1, 1)):
  return jax.lax.conv_general_dilated(
      x, kernel, (1, 1), padding, lhs_dilation=dilation,
      dimension_numbers=('NHWC', 'HWIO', 'NHWC'), feature_group_count=x.shape[-1])


def upsample_2x(x: jax.Array) -> jax.Array:
  """[B, H, W, C] -> [B, 2H, 2W, C]: zero insertion (lhs dilation 2), pad 2, 4-tap filter."""
  return _depthwise(x, _kernel(x.shape[-1], 4.0, x.dtype), ((2, 2), (2, 2)), (2, 2))


def blur(x: jax.Array, pad: tuple[int, int]) -> jax.Array:
  """The 4-tap filter with gain 1 after padding (before, after) on both spatial axes."""
  return _depthwise(x, _kernel(x.shape[-1], 1.0, x.dtype), (pad, pad))
