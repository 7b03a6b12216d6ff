"""What every process is told about the data, and the Gaussian-kernel steps they share."""
import dataclasses

from gdm.objectives import score_matching as sm


@dataclasses.dataclass(frozen=True)
class ProcessData:
  shape: tuple[int, ...]            # one example's shape
  parameterization: str = 'eps'     # eps | x0 | v: what the network outputs
  clip: tuple[float, float] | None = None   # the data's value range (images), for x0 clipping
  discrete: bool = False            # 8-bit images in [-1, 1]: the bound's decoder is discrete

  @property
  def channels(self) -> int:
    return self.shape[-1]

  def level_shape(self, batch: int) -> tuple[int, ...]:
    """One noise level per example, broadcastable against a batch."""
    return (batch,) + (1,) * len(self.shape)


def score_at(net_fn, xt, tin, a, sigma, parameterization: str):
  """The network's score at x_t = a x_0 + sigma eps: -eps_hat / sigma."""
  eps_hat, _ = sm.predictions(net_fn(xt, tin), xt, a, sigma, parameterization)
  return -eps_hat / sigma


def denoised_at(net_fn, x0, noise, tin, a, sigma, parameterization: str):
  """(x_t / a, the network's x_0 prediction) at x_t = a x_0 + sigma noise: for pictures."""
  xt = a * x0 + sigma * noise
  return xt / a, sm.predictions(net_fn(xt, tin), xt, a, sigma, parameterization)[1]
