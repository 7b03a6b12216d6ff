"""Normalizing flows: NICE, RealNVP, Glow, MAF/IAF and continuous flows (FFJORD), trained by
exact maximum likelihood.

One player minimises the per-example nll of gdm.objectives.flow_likelihood (uniform or
variational dequantization; the logit transform with its Jacobian). Evaluation reports per
example 'loss' = 'nll' (nats, prepared units) and, for images, 'bpd' through
gdm.metrics.bits_per_dim (the papers' bits/dim of 8-bit pixels). Continuous flows train with
Hutchinson's trace estimator (model.cnf.trace) and evaluate with the exact trace. Sampling
draws z from the base distribution at sample.temperature and inverts the flow.

Every function here takes the `Flow` that `build` makes once from the config; the package's
`make` binds them into the trainer's `Model`.
"""
import dataclasses

import jax

from gdm.data.config import PixelFormat
from gdm.data.source import DatasetInfo
from gdm.flows import prior as prior_lib
from gdm.flows.bijector import Bijector
from gdm.flows.cnf import HUTCHINSON_RNG
from gdm.flows.dequantization import VariationalDequantizer
from gdm.metrics import bits_per_dim as report_lib
from gdm.models.flow import nets
from gdm.models.flow.config import FlowConfig, check
from gdm.objectives import flow_likelihood as lik
from gdm.train.config import RunConfig


@dataclasses.dataclass(frozen=True)
class Flow:
  """What every function of the family needs, built once from the config."""
  m: FlowConfig
  info: DatasetInfo
  pixels: PixelFormat
  flow: Bijector
  dequantizer: VariationalDequantizer | None   # None: no variational dequantization
  offset: float | None                         # nats to 8-bit pixel units; None = no bpd
  hutchinson: bool                             # train with Hutchinson's trace estimator
  temperature: float                           # sample.temperature

  @property
  def latent_dim(self) -> int:
    return nets.latent_dim(self.info)


def build(run: RunConfig, info: DatasetInfo) -> Flow:
  m = run.model
  check(run, info)
  variational = info.is_image and m.dequantization == 'variational'
  return Flow(
      m=m, info=info, pixels=run.data.pixels, flow=nets.build(m, info, run.train.remat),
      dequantizer=VariationalDequantizer(m.dequant_channels, m.act) if variational else None,
      offset=lik.bpd_offset(run.data.pixels, info, variational),
      hutchinson=m.kind == 'cnf' and m.cnf.trace == 'hutchinson',
      temperature=run.sample.temperature)


def flow_input(f: Flow, p, x, key):
  """Prepared batch x -> (flow input, log-Jacobian of the fixed transforms, log q)."""
  log_q, extra = 0.0, 0.0
  if f.dequantizer is not None:
    k = lik.integer_pixels(x, f.pixels)
    u, log_q = f.dequantizer.apply({'params': p['dequantizer']}, k / 127.5 - 1, key)
    x = lik.add_dequantization_noise(k, u, f.pixels, f.info)
  if f.m.logit:
    x, extra = lik.logit_transform(x, f.m.logit_alpha)
  return x, extra, log_q


def encode(f: Flow, p, x, key, train=False):
  """(z [B, D], nll [B]) of prepared data x."""
  k_deq, k_trace = jax.random.split(key)
  y, extra, log_q = flow_input(f, p, x, k_deq)
  rngs = {HUTCHINSON_RNG: k_trace} if (train and f.hutchinson) else {}
  z, logdet = f.flow.apply({'params': p['flow']}, y, rngs=rngs)
  return z, lik.negative_log_likelihood(prior_lib.log_prob(z, f.m.prior), logdet + extra, log_q)


def decode(f: Flow, p, z):
  """Latent [B, D] -> data space."""
  y, _ = f.flow.apply({'params': p['flow']}, z, inverse=True)
  return lik.logit_inverse(y, f.m.logit_alpha) if f.m.logit else y


def init(f: Flow, key, batch):
  k_deq, k_noise, k_flow = jax.random.split(key, 3)
  x, params = batch['x'], {}
  if f.dequantizer is not None:
    k = lik.integer_pixels(x, f.pixels)
    params['dequantizer'] = f.dequantizer.init(k_deq, k / 127.5 - 1, k_noise)['params']
  y, _, _ = flow_input(f, params, x, k_noise)
  params['flow'] = f.flow.init(k_flow, y)['params']   # actnorm: data-dependent init
  return {'model': params}, {}


def loss(f: Flow, params, model_state, batch, key, step):
  nll = encode(f, params['model'], batch['x'], key, train=True)[1]
  metrics = {'nll': nll.mean()}
  if f.offset is not None:
    metrics['bpd'] = report_lib.bits_per_dim(nll.mean(), f.latent_dim, f.offset)
  return nll.mean(), (metrics, model_state)


def evaluate(f: Flow, params, model_state, batch, key):
  nll = encode(f, params['model'], batch['x'], key)[1]
  return {'loss': nll, **report_lib.report(nll, f.info, f.offset)}


def sample(f: Flow, params, model_state, key, num, reference):
  z = prior_lib.sample(key, (num, f.latent_dim), f.m.prior, f.temperature)
  return decode(f, params['model'], z)


def visualize(f: Flow, params, model_state, batch, key):
  if f.info.is_image:   # samples come with every evaluation; --mode=temperature for more
    return {}
  return {'latent': encode(f, params['model'], batch['x'], key)[0]}   # should look N(0, I)
