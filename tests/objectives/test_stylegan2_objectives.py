"""StyleGAN2's regularisers against hand computations: the path length penalty of a linear
generator (lengths, running mean, penalty and its gradient in closed form) and the lazy
regularisation scaling of the optimizer."""
import math

import jax
import jax.numpy as jnp
import numpy as np

from gdm.objectives.adversarial import lazy
from gdm.objectives.adversarial.path_length import (path_length_penalty, path_lengths,
                                                    path_noise)

B, L, D, H, W, C = 3, 4, 5, 2, 3, 2


def linear_generator(a):
  """g(ws) = sum_ld ws[b, l, d] A[l, d, ...]: its Jacobian is A whatever w is."""
  return lambda ws: jnp.einsum('bld,ldhwc->bhwc', ws, a)


def test_path_lengths_and_penalty_of_a_linear_generator():
  rng = np.random.default_rng(0)
  a = rng.normal(size=(L, D, H, W, C)).astype(np.float32)
  ws = rng.normal(size=(B, L, D)).astype(np.float32)
  y = rng.normal(size=(B, H, W, C)).astype(np.float32)
  lengths = np.asarray(path_lengths(linear_generator(jnp.asarray(a)), jnp.asarray(ws),
                                    jnp.asarray(y)))
  jty = np.einsum('bhwc,ldhwc->bld', y, a)                       # J^T y, per example
  want = np.sqrt((jty ** 2).sum(axis=2).mean(axis=1))
  np.testing.assert_allclose(lengths, want, rtol=1e-5)

  mean0, decay = 0.5, 0.01
  penalty, new_mean = path_length_penalty(jnp.asarray(lengths), jnp.float32(mean0), decay)
  a_new = mean0 + decay * (want.mean() - mean0)
  np.testing.assert_allclose(float(new_mean), a_new, rtol=1e-6)
  np.testing.assert_allclose(np.asarray(penalty), (want - a_new) ** 2, rtol=1e-5)

  # d mean penalty / dA in closed form: d len_b / dA[l, d] = g_bld y_b / (L len_b), with the
  # running mean held constant; a linear generator's penalty does not depend on w.
  def mean_penalty(a_, ws_):
    lens = path_lengths(linear_generator(a_), ws_, jnp.asarray(y))
    return path_length_penalty(lens, jnp.float32(mean0), decay)[0].mean()

  grad_a, grad_w = jax.grad(mean_penalty, argnums=(0, 1))(jnp.asarray(a), jnp.asarray(ws))
  dlen = np.einsum('bld,bhwc->bldhwc', jty, y) / (L * want[:, None, None, None, None, None])
  want_grad = (2 * (want - a_new)[:, None, None, None, None, None] * dlen).mean(axis=0)
  np.testing.assert_allclose(np.asarray(grad_a), want_grad, rtol=1e-4, atol=1e-6)
  np.testing.assert_allclose(np.asarray(grad_w), 0.0, atol=1e-6)


def test_path_noise_is_scaled_by_the_pixel_count():
  y = np.asarray(path_noise(jax.random.key(0, impl='rbg'), (64, 8, 16, 3)))
  assert y.shape == (64, 8, 16, 3)
  np.testing.assert_allclose(y.std(), 1 / math.sqrt(8 * 16), rtol=0.02)


def test_lazy_regularisation_scaling():
  assert lazy.ratio(16) == 16 / 17 and lazy.ratio(4) == 0.8
  lr, b1, b2 = lazy.adjusted_adam(0.002, 0.0, 0.99, 16)        # StyleGAN2's discriminator
  np.testing.assert_allclose((lr, b1, b2), (0.002 * 16 / 17, 0.0, 0.99 ** (16 / 17)))
  np.testing.assert_allclose(lr, 0.0018823529, rtol=1e-7)
  for k in (1, 4, 16):
    _, b1, b2 = lazy.adjusted_adam(1e-3, 0.9, 0.99, k)
    # k + 1 adjusted updates decay the moments as k plain ones.
    np.testing.assert_allclose((b1 ** (k + 1), b2 ** (k + 1)), (0.9 ** k, 0.99 ** k))
  runs = [bool(lazy.due(4, jnp.int32(s))) for s in range(9)]
  assert runs == [True, False, False, False, True, False, False, False, True]
