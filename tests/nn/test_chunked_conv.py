"""chunked_conv: the plain convolution's values and input gradient, and its kernel gradient
summed over batch slices (equal up to summation order), as flax's conv_general_dilated."""
import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

from gdm.nn.chunked_conv import chunked_conv


@pytest.mark.parametrize('strides, padding, batch, chunk', [
    ((1, 1), 'SAME', 7, 3),              # a last slice shorter than the others
    ((2, 2), 'SAME', 8, 4),
    ((1, 1), ((1, 0), (2, 1)), 5, 1),     # explicit asymmetric padding, one example a slice
    ((1, 1), 'VALID', 2, 8),              # one slice holding the whole batch
])
def test_values_and_gradients_equal_the_plain_convolution(strides, padding, batch, chunk):
  x = jnp.asarray(np.random.default_rng(0).normal(size=(batch, 9, 9, 3)), jnp.float32)
  plain = nn.Conv(4, (3, 3), strides=strides, padding=padding)
  chunked = nn.Conv(4, (3, 3), strides=strides, padding=padding,
                    conv_general_dilated=chunked_conv(chunk))
  params = plain.init(jax.random.PRNGKey(0), x)
  np.testing.assert_array_equal(plain.apply(params, x), chunked.apply(params, x))

  def loss(module):
    return lambda p, x: (module.apply(p, x) ** 2 * jnp.arange(4.0)).sum()

  want = jax.grad(loss(plain), (0, 1))(params, x)
  got = jax.jit(jax.grad(loss(chunked), (0, 1)))(params, x)
  for a, b in zip(jax.tree.leaves(want), jax.tree.leaves(got)):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_kernel_gradient_is_the_sum_over_slices_and_off_is_plain():
  rng = np.random.default_rng(1)
  x = jnp.asarray(rng.normal(size=(6, 5, 5, 2)), jnp.float32)
  w = jnp.asarray(rng.normal(size=(3, 3, 2, 3)), jnp.float32)
  dn = ('NHWC', 'HWIO', 'NHWC')
  conv = chunked_conv(2)
  grad = jax.grad(lambda w: conv(x, w, (1, 1), 'SAME', dimension_numbers=dn).sum())(w)
  by_example = sum(jax.grad(lambda w: lax.conv_general_dilated(
      x[i:i + 1], w, (1, 1), 'SAME', dimension_numbers=dn).sum())(w) for i in range(6))
  np.testing.assert_allclose(grad, by_example, rtol=1e-5, atol=1e-5)
  assert chunked_conv(0) is lax.conv_general_dilated
