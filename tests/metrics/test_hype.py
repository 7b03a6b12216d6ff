"""HYPE error rate, rater accuracy and the rater bootstrap against hand computations."""
import numpy as np
import pytest

from gdm.metrics import hype


def test_error_rate_and_rater_accuracy_by_hand():
  answers = ['real', 'fake', 'fake', 'real', 'real']
  truths = ['real', 'real', 'fake', 'fake', 'real']
  assert hype.error_rate(answers, truths) == pytest.approx(2 / 5)
  assert hype.rater_accuracy(answers, truths, ['a', 'a', 'b', 'b', 'b']) == {
      'a': 0.5, 'b': pytest.approx(2 / 3)}
  assert np.isnan(hype.error_rate([], []))


def test_bootstrap_resamples_raters_as_blocks():
  # Two raters: 0/4 wrong and 4/4 wrong. A resample of 2 raters gives 0, 1/2 or 1, with
  # probabilities 1/4, 1/2, 1/4: the 95% interval is [0, 1].
  low, high = hype.bootstrap_interval([[0, 0, 0, 0], [1, 1, 1, 1]], samples=4000)
  assert (low, high) == (0.0, 1.0)
  # Every rater alike: no spread.
  assert hype.bootstrap_interval([[0, 1], [1, 0], [0, 1]]) == (0.5, 0.5)
  # A brute-force check of the distribution of a resampled mean over 3 raters.
  groups = [[1, 0], [0, 0, 0, 0], [1, 1, 1]]
  rates = []          # all 27 equally likely resamples of 3 raters
  for i in range(3):
    for j in range(3):
      for k in range(3):
        picked = [groups[i], groups[j], groups[k]]
        rates.append(sum(map(sum, picked)) / sum(map(len, picked)))
  want = np.quantile(rates, [0.1, 0.9], method='inverted_cdf')
  got = hype.bootstrap_interval(groups, samples=20000, level=0.8, seed=1)
  np.testing.assert_allclose(got, want)
