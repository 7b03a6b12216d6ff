"""mu-law companding and 8-bit quantisation against the formula (ITU-T G.711, WaveNet eq. 2):
f(x) = sign(x) ln(1 + 255|x|) / ln 256, q = floor((f + 1) / 2 * 255 + 1/2), inverse
x = sign(y) (256^|y| - 1) / 255 at the code's level y = 2q/255 - 1."""
import numpy as np

from gdm.data import mu_law
from gdm.models.autoregressive.heads import EightBitCategorical

X = np.concatenate([np.linspace(-1, 1, 2001), [1e-4, -1e-4, 0.5, -0.25, 2.0, -3.0]])


def f(x):
  x = np.clip(x, -1, 1)
  return np.sign(x) * np.log(1 + 255 * np.abs(x)) / np.log(256)


def test_compand_and_expand_follow_the_formula():
  np.testing.assert_allclose(mu_law.compand(X), f(X), atol=1e-6)
  y = np.linspace(-1, 1, 513)
  np.testing.assert_allclose(mu_law.expand(y), np.sign(y) * (256.0 ** np.abs(y) - 1) / 255,
                             atol=1e-6)
  np.testing.assert_allclose(mu_law.expand(mu_law.compand(X)), np.clip(X, -1, 1), atol=1e-6)


def test_encode_quantises_to_256_codes_as_the_formula_says():
  codes = np.asarray(mu_law.encode(X))
  np.testing.assert_array_equal(codes, np.floor((f(X) + 1) / 2 * 255 + 0.5).astype(int))
  assert codes.min() == 0 and codes.max() == 255
  assert [int(mu_law.encode(v)) for v in (-1.0, 0.0, 1.0)] == [0, 128, 255]
  # Quiet samples get finer steps: 0.01 apart near silence are several codes apart, while
  # near full scale the same step changes the code by at most one.
  assert int(mu_law.encode(0.01)) - int(mu_law.encode(0.0)) >= 5
  assert int(mu_law.encode(1.0)) - int(mu_law.encode(0.99)) <= 1


def test_decode_inverts_encode_on_every_code():
  q = np.arange(256)
  np.testing.assert_array_equal(mu_law.encode(mu_law.decode(q)), q)
  levels = 2 * q / 255 - 1
  np.testing.assert_allclose(mu_law.level(q), levels, atol=1e-7)
  np.testing.assert_allclose(mu_law.decode(q), np.sign(levels) * (256.0 ** np.abs(levels) - 1)
                             / 255, atol=1e-6)
  np.testing.assert_array_equal(mu_law.code_of_level(mu_law.level(q)), q)
  # The error of a round trip is at most half a code's width in the companded domain.
  step = np.abs(f(np.asarray(mu_law.decode(mu_law.encode(X)))) - f(X))
  assert step.max() <= 1 / 255 + 1e-6


def test_levels_are_the_grid_the_8_bit_heads_score():
  q = np.arange(256)
  head = EightBitCategorical()
  np.testing.assert_array_equal(head.to_index(mu_law.level(q)), q)
  head.check(np.asarray(mu_law.level(q)))      # on the 8-bit grid: no error
