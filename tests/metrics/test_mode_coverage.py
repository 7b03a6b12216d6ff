"""Mode coverage on hand-made point sets."""
import numpy as np
import pytest

from gdm.data import toy
from gdm.metrics import mode_coverage as mc


def test_eight_gaussians_hand_made_points():
  c, s = mc.MIXTURES['eight_gaussians']
  np.testing.assert_allclose(c, toy.EIGHT_GAUSSIANS_CENTERS)
  points = np.array([
      c[0],                           # on a centre
      c[0] + [2.9 * s, 0.0],          # within 3 std of mode 0
      c[3] + [0.0, -2.5 * s],         # mode 3
      c[3] + [3.1 * s, 0.0],          # just outside 3 std: low quality
      [0.0, 0.0],                     # the empty middle of the ring
  ])
  np.testing.assert_array_equal(mc.high_quality(points, c, s), [1, 1, 1, 0, 0])
  np.testing.assert_array_equal(mc.mode_counts(points, c, s), [2, 0, 0, 1, 0, 0, 0, 0])
  assert mc.coverage(points, c, s) == {'modes': 2.0, 'high_quality': pytest.approx(0.6)}
  assert mc.coverage(points, c, s, min_count=2)['modes'] == 1.0


def test_grid25_every_mode_and_collapse():
  c, s = mc.MIXTURES['grid25']
  rng = np.random.default_rng(0)
  everywhere = np.repeat(c, 4, axis=0) + rng.uniform(-s, s, size=(100, 2))
  assert mc.coverage(everywhere, c, s) == {'modes': 25.0, 'high_quality': 1.0}
  collapsed = np.tile(c[7], (50, 1))
  between = (c[:10] + c[1:11]) / 2            # halfway between neighbours: 1 away, 20 std
  got = mc.coverage(np.concatenate([collapsed, between]), c, s)
  assert got == {'modes': 1.0, 'high_quality': pytest.approx(50 / 60)}
