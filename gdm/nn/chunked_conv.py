"""A convolution whose kernel gradient is summed over slices of the batch.

XLA:CPU's kernel-gradient convolution gets slower *per example* as the batch grows (a 3x3,
128-channel conv at 32x32: 4.5 ms/example at batch 8, 13.0 at batch 32; in slices of 8, 5.7:
benchmarks/RESULTS.md), while the forward pass and the input gradient stay flat. Summing the
kernel gradients of unrolled batch slices of `chunk` examples keeps it near the small-batch
cost. Forward values and the input gradient are the plain convolution's; the kernel gradient
equals it up to float summation order. (A `lax.map` over the slices is far slower on CPU:
the slices must be unrolled.) Use it on CPU only; GPU and TPU kernels do not have the
problem.

  nn.Conv(..., conv_general_dilated=chunked_conv(8))
"""
import functools

import jax
from jax import lax


def chunked_conv(chunk: int):
  """A drop-in for `lax.conv_general_dilated` (as flax's `conv_general_dilated`) whose kernel
  gradient is computed `chunk` examples at a time; chunk <= 0 returns the plain one."""
  if chunk <= 0:
    return lax.conv_general_dilated
  return functools.partial(_conv, chunk)


def _conv(chunk, lhs, rhs, window_strides, padding, lhs_dilation=None, rhs_dilation=None,
          dimension_numbers=None, feature_group_count=1, batch_group_count=1, precision=None,
          preferred_element_type=None):
  static = dict(window_strides=tuple(window_strides),
                padding=padding if isinstance(padding, str) else tuple(map(tuple, padding)),
                lhs_dilation=None if lhs_dilation is None else tuple(lhs_dilation),
                rhs_dilation=None if rhs_dilation is None else tuple(rhs_dilation),
                dimension_numbers=dimension_numbers, feature_group_count=feature_group_count,
                batch_group_count=batch_group_count, precision=precision,
                preferred_element_type=preferred_element_type)
  if batch_group_count != 1 or _batch_axis(dimension_numbers, lhs.ndim) != 0:
    return lax.conv_general_dilated(lhs, rhs, **static)
  return _chunked(chunk, tuple(sorted(static.items(), key=lambda kv: kv[0])), lhs, rhs)


def _batch_axis(dimension_numbers, ndim: int) -> int:
  dn = lax.conv_dimension_numbers((1,) * ndim, (1,) * ndim, dimension_numbers)
  return dn.lhs_spec[0]


@functools.partial(jax.custom_vjp, nondiff_argnums=(0, 1))
def _chunked(chunk, static, lhs, rhs):
  return lax.conv_general_dilated(lhs, rhs, **dict(static))


def _fwd(chunk, static, lhs, rhs):
  return _chunked(chunk, static, lhs, rhs), (lhs, rhs)


def _bwd(chunk, static, residuals, g):
  lhs, rhs = residuals
  conv = functools.partial(lax.conv_general_dilated, **dict(static))
  _, lhs_vjp = jax.vjp(lambda x: conv(x, rhs), lhs)
  (d_lhs,) = lhs_vjp(g)
  d_rhs = None
  for start in range(0, lhs.shape[0], chunk):
    _, rhs_vjp = jax.vjp(lambda w: conv(lhs[start:start + chunk], w), rhs)
    (part,) = rhs_vjp(g[start:start + chunk])
    d_rhs = part if d_rhs is None else d_rhs + part
  return d_lhs, d_rhs


_chunked.defvjp(_fwd, _bwd)
