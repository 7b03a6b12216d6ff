"""A family's likelihood numbers for the table: NLL in nats per image and bits/dim of the
8-bit data, each labelled exact, bound or estimate, all in gdm.metrics.bits_per_dim's
convention (discrete models: the probability of the 8-bit pixels; densities on uniformly
dequantized pixels: plus D log(256 / range) nats), so that every family's bits/dim compare.
"""
import math

from experiments.comparison.plan import Likelihood
from gdm.data.config import PixelFormat
from gdm.data.source import DatasetInfo
from gdm.metrics import bits_per_dim


def rows(likelihoods: tuple[Likelihood, ...], scalars: dict, info: DatasetInfo,
         pixels: PixelFormat) -> list[dict]:
  """One row per likelihood of the family: {'name', 'label', 'nll', 'bpd', 'of', 'note'};
  `scalars` are the run's evaluation ('eval/<metric>': mean over the test split). `bpd` is
  None where the data have no 8-bit meaning (a density on pixels not dequantized)."""
  out = []
  for lik in likelihoods:
    key = f'eval/{lik.metric}'
    if key not in scalars:
      raise ValueError(f'the evaluation has no {key} (it has {", ".join(sorted(scalars))})')
    nll = lik.sign * float(scalars[key])
    offset = bits_per_dim.pixel_offset(pixels, info, lik.kind)
    bpd = (None if offset is None else
           float(bits_per_dim.bits_per_dim(nll, math.prod(info.shape), offset)))
    out.append({'name': lik.name, 'label': lik.label, 'nll': nll, 'bpd': bpd,
                'of': describe_pixels(pixels), 'note': lik.note})
  return out


def describe_pixels(pixels: PixelFormat) -> str:
  """What the model sees, for the report: e.g. '8-bit in [-1, 1]', 'dequantized, [-1, 1]'."""
  scale = {'minus_one_one': '[-1, 1]', 'zero_one': '[0, 1]', 'none': '[0, 255]'}[pixels.scale]
  if pixels.binarize != 'none':
    return f'binarized ({pixels.binarize})'
  return f'{"uniformly dequantized" if pixels.dequantize else "8-bit"}, {scale}'
