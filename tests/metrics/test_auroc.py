"""AUROC against brute force over all pairs, ties included."""
import numpy as np
import pytest

from gdm.metrics.auroc import auroc


def brute_force(s_in, s_out):
  diff = s_out[None, :] - s_in[:, None]
  return ((diff > 0) + 0.5 * (diff == 0)).mean()


def test_matches_all_pairs_with_ties():
  rng = np.random.default_rng(0)
  s_in = rng.integers(0, 6, 37).astype(np.float32)     # many ties
  s_out = rng.integers(2, 9, 23).astype(np.float32)
  assert float(auroc(s_in, s_out)) == pytest.approx(brute_force(s_in, s_out), abs=1e-6)
  assert float(auroc(s_in, s_in + 100)) == 1.0 and float(auroc(s_in + 100, s_in)) == 0.0
  assert float(auroc(s_in, s_in)) == pytest.approx(0.5)
