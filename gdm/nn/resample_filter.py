"""StyleGAN2's resampling with the separable FIR low-pass filter [1, 3, 3, 1] (upfirdn2d of
the official code; Zhang, 2019, "Making convolutional networks shift-invariant again").

`upsample_2x` is upfirdn2d's upsample_2d: zeros between pixels, then the filter with gain 4
(a constant image stays constant); per axis that is out[2i] = (x[i-1] + 3 x[i]) / 4 and
out[2i+1] = (3 x[i] + x[i+1]) / 4 with zero padding. `blur` is the filter with gain 1 after
padding, to be followed by a stride-2 convolution (the official conv_downsample_2d). Both
are written as shifted sums along each axis: XLA:CPU runs (and differentiates twice, for
the regularisers) depthwise convolutions far slower than these elementwise ops.
"""
import jax
import jax.numpy as jnp

TAPS = (1.0, 3.0, 3.0, 1.0)


def _shift_pad(x, axis: int, before: int, after: int):
  pad = [(0, 0)] * x.ndim
  pad[axis] = (before, after)
  return jnp.pad(x, pad)


def _slice(x, axis: int, start: int, size: int):
  return jax.lax.slice_in_dim(x, start, start + size, axis=axis)


def _up_axis(x, axis: int):
  n = x.shape[axis]
  p = _shift_pad(x, axis, 1, 1)                            # x[-1] = x[n] = 0
  even = (_slice(p, axis, 0, n) + 3 * _slice(p, axis, 1, n)) / 4
  odd = (3 * _slice(p, axis, 1, n) + _slice(p, axis, 2, n)) / 4
  out = jnp.stack([even, odd], axis=axis + 1)              # interleave
  return out.reshape(x.shape[:axis] + (2 * n,) + x.shape[axis + 1:])


def _blur_axis(x, axis: int, pad: tuple[int, int]):
  p = _shift_pad(x, axis, *pad)
  n = p.shape[axis] - len(TAPS) + 1
  total = sum(TAPS)
  return sum(t / total * _slice(p, axis, j, n) for j, t in enumerate(TAPS))


def upsample_2x(x: jax.Array) -> jax.Array:
  """[B, H, W, C] -> [B, 2H, 2W, C]."""
  return _up_axis(_up_axis(x, 1), 2)


def blur(x: jax.Array, pad: tuple[int, int]) -> jax.Array:
  """The 4-tap filter with gain 1 after padding (before, after) on both spatial axes."""
  return _blur_axis(_blur_axis(x, 1, pad), 2, pad)
