"""Audio models: WaveNet over 8-bit mu-law audio (van den Oord et al., 2016).

A clip x [T] in [-1, 1] becomes T mu-law codes (gdm/data/mu_law.py) at their levels in
[-1, 1], and p(x) = prod_t p(q_t | q_<t, h) with h an optional global condition (the label):
one player minimises the negative log-likelihood per clip. Evaluation reports it in nats per
clip (`eval/nll`) and bits per audio sample (`eval/bits_per_sample`, the nll over T ln 2,
through gdm.metrics.bits_per_dim): the model gives the probability of the 8-bit codes, so no
offset is added. Samples are decoded back to waveforms in [-1, 1] (the launcher writes them
as .npz and .wav); `model.sampler` picks the fast (queue) or the naive (recomputing) sampler.

Every function takes the `Audio` that `build` makes once from the config.
"""
import dataclasses

import jax
import jax.numpy as jnp
import numpy as np

from gdm.data import mu_law
from gdm.data.source import DatasetInfo
from gdm.metrics import bits_per_dim
from gdm.models.audio import nets, sampling
from gdm.models.audio.config import AudioConfig, check
from gdm.nn.wavenet import WaveNet
from gdm.train.config import RunConfig


@dataclasses.dataclass(frozen=True)
class Audio:
  """What every function of the family needs, built once from the config."""
  m: AudioConfig
  info: DatasetInfo
  head: object                  # a gdm.models.autoregressive.heads.Head over the 256 levels
  net: WaveNet
  num_classes: int              # > 0: globally conditioned on the label


def build(run: RunConfig, info: DatasetInfo) -> Audio:
  m = run.model
  check(m, info)
  head = nets.HEADS[m.likelihood](m.num_mixtures)
  num_classes = info.num_classes if m.conditional else 0
  net = nets.build(m, head.num_params, num_classes, jnp.dtype(run.train.compute_dtype))
  return Audio(m=m, info=info, head=head, net=net, num_classes=num_classes)


def to_levels(x):
  """Waveforms [B, T] in [-1, 1] -> their mu-law levels (the values the model scores)."""
  return mu_law.level(mu_law.encode(x))


def to_waveform(levels):
  return mu_law.expand(levels)


def cond_of(a: Audio, y):
  return None if y is None or not a.num_classes else jax.nn.one_hot(y, a.num_classes)


def labels(a: Audio, batch):
  return batch['y'] if a.num_classes else None


def sample_log_probs(a: Audio, params, levels, y):
  """log p(q_t | q_<t, h) of mu-law levels [B, T] at every position t, in nats."""
  out = a.net.apply({'params': params['model']},
                    sampling.net_input(levels, a.net.num_values), cond_of(a, y))
  return a.head.log_prob(out, levels[..., None] if a.head.pixel_wise else levels)


def log_prob(a: Audio, params, levels, y):
  """log p of mu-law levels [B, T] per clip, in nats."""
  return sample_log_probs(a, params, levels, y).sum(-1)


def loss(a: Audio, params, model_state, batch, key, step):
  del key, step
  nll = -log_prob(a, params, to_levels(batch['x']), labels(a, batch))
  return nll.mean(), ({'nll': nll.mean()}, model_state)


def init(a: Audio, key, batch):
  y = labels(a, batch)
  x = sampling.net_input(to_levels(batch['x'][:1]), a.net.num_values)
  params = a.net.init(key, x, cond_of(a, None if y is None else y[:1]))['params']
  return {'model': params}, {}


def evaluate(a: Audio, params, model_state, batch, key):
  del model_state, key
  nll = -log_prob(a, params, to_levels(batch['x']), labels(a, batch))
  return {'loss': nll, 'nll': nll,
          'bits_per_sample': bits_per_dim.bits_per_dim(nll, a.info.shape[0])}


def complete(a: Audio, params, y, key, levels, lengths: np.ndarray):
  """Positions t >= lengths[n] of levels [N, T] drawn with `model.sampler`."""
  sampler = sampling.SAMPLERS[a.m.sampler]
  return sampler(a.net, a.head, params['model'], cond_of(a, y), key, levels, lengths)


def sample(a: Audio, params, model_state, key, num, reference):
  """num clips from scratch (conditional: the classes in turn), as waveforms [num, T]."""
  del model_state, reference
  y = jnp.arange(num) % a.num_classes if a.num_classes else None
  levels = complete(a, params, y, key, jnp.zeros((num,) + tuple(a.info.shape)),
                    np.zeros(num, np.int64))
  return to_waveform(levels)


def visualize(a: Audio, params, model_state, batch, key):
  del params, model_state, batch, key
  return {}
