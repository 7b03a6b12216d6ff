"""Input corruptions: statistics on big arrays, exact values, and config errors."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.objectives.corruption import CORRUPTIONS, check_corruption, corrupt

N = 200_000      # std of a fraction estimate <= 0.5 / sqrt(N) ~ 1.1e-3
KEY = jax.random.PRNGKey(0)


def _data(shape=(400, 500), dtype=np.float32):
  """Values in [2, 3): never equal to any `low` / `high` used below."""
  return jnp.asarray(np.random.default_rng(0).uniform(2.0, 3.0, size=shape).astype(dtype))


@pytest.mark.parametrize('level', [0.1, 0.5, 2.0])
def test_gaussian_has_the_requested_std(level):
  x = _data()
  noise = np.asarray(corrupt(x, KEY, 'gaussian', level), np.float64) - np.asarray(x, np.float64)
  assert noise.size == N
  np.testing.assert_allclose(noise.std(), level, rtol=0.01)
  assert abs(noise.mean()) < 5 * level / np.sqrt(N)
  # Deterministic in the key, different for another key.
  np.testing.assert_array_equal(corrupt(x, KEY, 'gaussian', level),
                                corrupt(x, KEY, 'gaussian', level))
  assert not np.array_equal(corrupt(x, KEY, 'gaussian', level),
                            corrupt(x, jax.random.PRNGKey(1), 'gaussian', level))


def test_gaussian_zero_level_and_dtype():
  x = _data((4, 5))
  np.testing.assert_array_equal(corrupt(x, KEY, 'gaussian', 0.0), x)
  xb = x.astype(jnp.bfloat16)
  assert corrupt(xb, KEY, 'gaussian', 0.1).dtype == jnp.bfloat16


@pytest.mark.parametrize('level,low', [(0.3, 0.0), (0.75, -1.0)])
def test_masking_sets_a_level_fraction_to_low(level, low):
  x = _data()
  out = np.asarray(corrupt(x, KEY, 'masking', level, low=low, high=9.0))
  xn = np.asarray(x)
  hit = out == low
  assert abs(hit.mean() - level) < 0.005
  np.testing.assert_array_equal(out[~hit], xn[~hit])          # the rest untouched
  assert not np.any(out == 9.0)                               # masking never writes high


def test_masking_extremes():
  x = _data((50, 40))
  np.testing.assert_array_equal(corrupt(x, KEY, 'masking', 0.0), x)
  np.testing.assert_array_equal(corrupt(x, KEY, 'masking', 1.0, low=-1.0),
                                np.full(x.shape, -1.0, np.float32))


@pytest.mark.parametrize('level', [0.2, 0.6])
def test_salt_and_pepper(level):
  x = _data()
  low, high = -1.0, 5.0
  out = np.asarray(corrupt(x, KEY, 'salt_and_pepper', level, low=low, high=high))
  xn = np.asarray(x)
  is_low, is_high = out == low, out == high
  hit = is_low | is_high
  assert abs(hit.mean() - level) < 0.005
  assert abs(is_low.mean() - level / 2) < 0.005
  assert abs(is_high.mean() - level / 2) < 0.005
  np.testing.assert_array_equal(out[~hit], xn[~hit])
  assert out.dtype == np.float32


def test_none_is_identity():
  x = _data((3, 4))
  out = corrupt(x, KEY, 'none', 0.0)
  np.testing.assert_array_equal(out, x)
  # The level is ignored for 'none'.
  np.testing.assert_array_equal(corrupt(x, KEY, 'none', 123.0), x)


def test_corruption_names():
  assert CORRUPTIONS == ('none', 'gaussian', 'masking', 'salt_and_pepper')


@pytest.mark.parametrize('name,level,needle', [
    ('dropout', 0.1, "'dropout'"),
    ('masking', 1.5, '1.5'),
    ('masking', -0.25, '-0.25'),
    ('salt_and_pepper', 2.0, '2.0'),
    ('gaussian', -0.5, '-0.5'),
])
def test_bad_names_and_levels_raise_one_line_errors(name, level, needle):
  for fn in (lambda: check_corruption(name, level),
             lambda: corrupt(jnp.zeros((2, 2)), KEY, name, level)):
    with pytest.raises(ValueError) as e:
      fn()
    msg = str(e.value)
    assert needle in msg and '\n' not in msg
    if name != 'dropout':
      assert name in msg


def test_valid_edges_pass():
  for name, level in [('masking', 0.0), ('masking', 1.0), ('salt_and_pepper', 1.0),
                      ('gaussian', 0.0), ('gaussian', 10.0), ('none', -1.0)]:
    check_corruption(name, level)
