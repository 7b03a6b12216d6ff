"""Human evaluation of generated images, HYPE-style (Zhou et al., 2019, "HYPE: A Benchmark
for Human eYe Perceptual Evaluation of Generative Models").

Raters see real and generated images one at a time and call each real or fake. HYPE_inf (no
time limit) reports the error rate: the share of wrong answers over real and fake images
together, 50% meaning indistinguishable from real. Its 95% interval here is the percentile
bootstrap over raters (a rater's answers resampled as a block, as raters differ more than
images), with a fixed seed so a report is reproducible. Attention checks (obviously fake
images) are scored apart: a rater who fails them is reported, and left out of the error rate.
"""
import numpy as np


def error_rate(answers, truths) -> float:
  """Share of answers ('real' / 'fake') that differ from the truths."""
  answers, truths = np.asarray(answers), np.asarray(truths)
  if answers.size == 0:
    return float('nan')
  return float(np.mean(answers != truths))


def bootstrap_interval(wrong_by_rater: list, samples: int = 2000, level: float = 0.95,
                       seed: int = 0) -> tuple[float, float]:
  """Percentile interval of the error rate when raters (each a list of 0/1 wrong flags) are
  resampled with replacement."""
  groups = [np.asarray(g, np.float64) for g in wrong_by_rater if len(g)]
  if not groups:
    return float('nan'), float('nan')
  rng = np.random.default_rng(seed)
  sums = np.array([g.sum() for g in groups])
  counts = np.array([g.size for g in groups])
  picks = rng.integers(0, len(groups), size=(samples, len(groups)))
  rates = sums[picks].sum(1) / counts[picks].sum(1)
  tail = (1 - level) / 2
  low, high = np.quantile(rates, [tail, 1 - tail])
  return float(low), float(high)


def rater_accuracy(answers, truths, raters) -> dict[str, float]:
  """{rater: share of correct answers}."""
  answers, truths, raters = map(np.asarray, (answers, truths, raters))
  return {str(r): float(np.mean(answers[raters == r] == truths[raters == r]))
          for r in sorted(set(raters.tolist()))}
