"""Feature statistics accumulated batch by batch, so 50,000 samples need not be held."""
import numpy as np


class StreamingStats:
  """Running count, sum and sum of outer products in float64 -> mean and the unbiased
  covariance (what pytorch-fid's np.cov gives on all features at once)."""

  def __init__(self, dim: int):
    self.count = 0
    self.total = np.zeros(dim, np.float64)
    self.outer = np.zeros((dim, dim), np.float64)

  def update(self, features) -> None:
    f = np.asarray(features, np.float64)
    if f.ndim != 2 or f.shape[1] != len(self.total):
      raise ValueError(f'features of shape {f.shape} do not fit statistics of dimension '
                       f'{len(self.total)}')
    self.count += len(f)
    self.total += f.sum(0)
    self.outer += f.T @ f

  def result(self) -> tuple[np.ndarray, np.ndarray]:
    if self.count < 2:
      raise ValueError(f'statistics need at least 2 examples, got {self.count}')
    mu = self.total / self.count
    sigma = (self.outer - self.count * np.outer(mu, mu)) / (self.count - 1)
    return mu, sigma
