"""Reconstruction losses against numpy formulas, their float32 reduction and dispatch."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.objectives.reconstruction import (RECONSTRUCTION_LOSSES, bernoulli_nll,
                                           output_to_data, reconstruction_loss,
                                           squared_error)


def _np_sigmoid(l):
  return 0.5 * (1.0 + np.tanh(0.5 * l))     # stable for any |l|


def _np_bce(logits, x):
  """The textbook form, in float64 (fine for moderate logits)."""
  p = _np_sigmoid(logits.astype(np.float64))
  x = x.astype(np.float64)
  per = -(x * np.log(p) + (1 - x) * np.log(1 - p))
  return per.reshape(len(per), -1).sum(1)


def test_squared_error_per_example_matches_numpy():
  rng = np.random.default_rng(0)
  a = rng.normal(size=(5, 3, 4, 2)).astype(np.float32)
  b = rng.normal(size=(5, 3, 4, 2)).astype(np.float32)
  got = squared_error(jnp.asarray(a), jnp.asarray(b))
  want = ((a.astype(np.float64) - b) ** 2).reshape(5, -1).sum(1)
  assert got.shape == (5,) and got.dtype == jnp.float32
  np.testing.assert_allclose(got, want, rtol=1e-5)
  # Example i depends only on example i.
  b2 = b.copy()
  b2[2] += 1.0
  got2 = np.asarray(squared_error(jnp.asarray(a), jnp.asarray(b2)))
  np.testing.assert_array_equal(np.delete(got2, 2), np.delete(np.asarray(got), 2))
  assert got2[2] != got[2]


def test_bernoulli_nll_matches_textbook_formula():
  rng = np.random.default_rng(1)
  logits = rng.normal(scale=3.0, size=(4, 7, 3)).astype(np.float32)
  x = rng.uniform(size=(4, 7, 3)).astype(np.float32)          # soft targets too
  x[0] = (x[0] > 0.5)                                          # and hard ones
  got = bernoulli_nll(jnp.asarray(logits), jnp.asarray(x))
  assert got.shape == (4,) and got.dtype == jnp.float32
  np.testing.assert_allclose(got, _np_bce(logits, x), rtol=1e-5)


def test_bernoulli_nll_is_stable_for_large_logits():
  # logits = +-200: sigmoid saturates to exactly 0 / 1 in float32, so the naive formula
  # gives inf or nan; the analytic values are 0 for a correct and |l| for a wrong label.
  logits = jnp.array([[200.0, -200.0, 200.0, -200.0, 100.0]], jnp.float32)
  x = jnp.array([[1.0, 0.0, 0.0, 1.0, 0.25]], jnp.float32)
  got = bernoulli_nll(logits, x)
  assert np.all(np.isfinite(got))
  # softplus(l) - x * l exactly: 0 + 0 + 200 + 200 + (100 - 25).
  np.testing.assert_allclose(got, [475.0], rtol=1e-6)
  # Element-wise limits, and the gradient is finite (sigmoid(l) - x).
  for l, t, want in [(200.0, 1.0, 0.0), (-200.0, 0.0, 0.0), (200.0, 0.0, 200.0),
                     (-200.0, 1.0, 200.0), (-1e4, 1.0, 1e4)]:
    v = bernoulli_nll(jnp.array([[l]]), jnp.array([[t]]))
    np.testing.assert_allclose(v, [want], atol=1e-6, rtol=1e-6)
    g = jax.grad(lambda q: bernoulli_nll(q, jnp.array([[t]])).sum())(jnp.array([[l]]))
    np.testing.assert_allclose(g, [[_np_sigmoid(np.float64(l)) - t]], atol=1e-6)


def test_bfloat16_inputs_are_reduced_in_float32():
  # 4096 values of 1 in bf16: a bf16 sum would stall at 256 (8 mantissa bits).
  n = 4096
  ones = jnp.ones((2, n), jnp.bfloat16)
  zeros = jnp.zeros((2, n), jnp.bfloat16)
  se = squared_error(ones, zeros)
  assert se.dtype == jnp.float32
  np.testing.assert_array_equal(se, [n, n])
  logits = jnp.full((2, n), 2.0, jnp.bfloat16)
  nll = bernoulli_nll(logits, ones)
  assert nll.dtype == jnp.float32
  np.testing.assert_allclose(nll, n * np.log1p(np.exp(-2.0)), rtol=1e-5)
  # Mixed dtypes are fine too.
  se2 = squared_error(ones, jnp.zeros((2, n), jnp.float32))
  assert se2.dtype == jnp.float32
  np.testing.assert_array_equal(se2, [n, n])


def test_reconstruction_loss_dispatch():
  rng = np.random.default_rng(2)
  out = jnp.asarray(rng.normal(size=(3, 6)).astype(np.float32))
  x = jnp.asarray(rng.uniform(size=(3, 6)).astype(np.float32))
  assert RECONSTRUCTION_LOSSES == ('mse', 'bce')
  np.testing.assert_array_equal(reconstruction_loss('mse', out, x), squared_error(out, x))
  np.testing.assert_array_equal(reconstruction_loss('bce', out, x), bernoulli_nll(out, x))
  assert not np.allclose(reconstruction_loss('mse', out, x), reconstruction_loss('bce', out, x))


def test_reconstruction_loss_unknown_name():
  with pytest.raises(ValueError) as e:
    reconstruction_loss('l1', jnp.zeros((1, 2)), jnp.zeros((1, 2)))
  msg = str(e.value)
  assert "'l1'" in msg and 'mse' in msg and 'bce' in msg and '\n' not in msg


def test_output_to_data():
  out = jnp.array([[-3.0, 0.0, 2.5]], jnp.float32)
  np.testing.assert_array_equal(output_to_data('mse', out), out)
  np.testing.assert_allclose(output_to_data('bce', out), _np_sigmoid(np.asarray(out)),
                             rtol=1e-6)
