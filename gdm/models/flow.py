"""Normalizing flows: NICE, RealNVP, Glow, MAF/IAF and continuous flows (FFJORD), trained by
exact maximum likelihood.

One player minimises the per-example nll of gdm.objectives.flow_likelihood (uniform or variational
dequantization; the logit transform with its Jacobian). Evaluation reports per example
'loss' = 'nll' (nats, prepared units) and, for images, 'bpd' through gdm.metrics.bits_per_dim
(the papers' bits/dim of 8-bit pixels). Continuous flows train with Hutchinson's trace
estimator (model.trace) and evaluate with the exact trace. Sampling draws z from the base
distribution at config.sample.temperature and inverts the flow.
"""
import jax
import ml_collections

from gdm.data.source import DatasetInfo
from gdm.flows import prior
from gdm.flows.cnf import HUTCHINSON_RNG
from gdm.flows import glow
from gdm.flows.dequantization import VariationalDequantizer
from gdm.flows.squeeze import check_squeezable
from gdm.metrics import bits_per_dim as report_lib
from gdm.models import flow_modes, flow_net
from gdm.train.model import Family, Model
from gdm.nn.mlp import activation
from gdm.objectives import flow_likelihood as lik
from gdm.train.optim import make_optimizer
from gdm.train.players import Player
from gdm.utils.checks import check_choice

DEQUANTIZATIONS = ('uniform', 'variational')
TRACES = ('hutchinson', 'exact')


def _check_sizes(m):
  for name in ('num_layers', 'channels', 'num_scales', 'steps_per_scale', 'ode_steps',
               'dequant_channels'):
    if m[name] < 1:
      raise ValueError(f'model.{name}={m[name]} must be >= 1')
  if m.num_blocks < 0 or not m.hidden or min(m.hidden) < 1:
    raise ValueError(f'model.num_blocks={m.num_blocks} must be >= 0 and model.hidden='
                     f'{tuple(m.hidden)} positive widths')
  if m.ode_time <= 0:
    raise ValueError(f'model.ode_time={m.ode_time} must be > 0')
  if not 0 < m.logit_alpha < 0.5:
    raise ValueError(f'model.logit_alpha={m.logit_alpha} must be in (0, 0.5)')


def _check_images(config, info: DatasetInfo):
  m, d = config.model, config.data
  if m.kind in flow_net.VECTOR_ONLY:
    raise ValueError(f'model.kind={m.kind!r} is for 2-D/tabular data; {info.name!r} holds '
                     f'images (use nice, realnvp or glow)')
  if d.binarize != 'none':
    raise ValueError(f'a flow is a density on continuous values: data.binarize='
                     f'{d.binarize!r} must be none')
  if m.dequantization == 'uniform' and not d.dequantize:
    raise ValueError(f'a flow on 8-bit images needs dequantized data: set data.dequantize=True '
                     f"(uniform noise) or model.dequantization='variational' (dataset "
                     f'{info.name!r} has data.dequantize=False)')
  if m.dequantization == 'variational' and d.dequantize:
    raise ValueError("model.dequantization='variational' adds learned noise to integer "
                     'pixels: set data.dequantize=False')
  if m.logit and d.scale != 'zero_one':
    raise ValueError(f"model.logit=True needs data in [0, 1] (data.scale='zero_one'); "
                     f'data.scale={d.scale!r} puts values outside that range')
  if m.kind in flow_net.MULTISCALE:
    check_squeezable(info.shape, flow_net.num_squeezes(m))


def check_config(config: ml_collections.ConfigDict, info: DatasetInfo):
  m = config.model
  check_choice(m.kind, flow_net.KINDS, 'flow kind', 'model.kind')
  check_choice(m.prior, prior.PRIORS, 'prior', 'model.prior')
  check_choice(m.dequantization, DEQUANTIZATIONS, 'dequantization', 'model.dequantization')
  check_choice(m.trace, TRACES, 'trace estimator', 'model.trace')
  activation(m.act)
  _check_sizes(m)
  if config.train.compute_dtype != 'float32':
    raise ValueError(f'flows compute in float32 (log-determinants of deep stacks lose too '
                     f'much precision otherwise): train.compute_dtype='
                     f'{config.train.compute_dtype!r} is not supported')
  if config.sample.temperature < 0:
    raise ValueError(f'sample.temperature={config.sample.temperature} must be >= 0')
  if info.is_image:
    _check_images(config, info)
    return
  if m.logit or m.dequantization != 'uniform':
    raise ValueError(f'model.logit and variational dequantization apply to 8-bit images; '
                     f'{info.name!r} is a 2-D/tabular dataset')
  if info.shape[0] < 2 and m.kind in ('nice', 'realnvp', 'glow'):
    raise ValueError(f'model.kind={m.kind!r} couples halves of the data: needs >= 2 '
                     f'dimensions, {info.name!r} has {info.shape[0]}')


def make(config: ml_collections.ConfigDict, info: DatasetInfo) -> Model:
  check_config(config, info)
  m = config.model
  flow = flow_net.build(m, info)
  variational = info.is_image and m.dequantization == 'variational'
  dequantizer = VariationalDequantizer(m.dequant_channels, m.act) if variational else None
  offset = lik.bpd_offset(config.data, info, variational)
  hutchinson = m.kind == 'cnf' and m.trace == 'hutchinson'

  def flow_input(p, x, key):
    """Prepared batch x -> (flow input, log-Jacobian of the fixed transforms, log q)."""
    log_q, extra = 0.0, 0.0
    if variational:
      k = lik.integer_pixels(x, config.data)
      u, log_q = dequantizer.apply({'params': p['dequantizer']}, k / 127.5 - 1, key)
      x = lik.add_dequantization_noise(k, u, config.data, info)
    if m.logit:
      x, extra = lik.logit_transform(x, m.logit_alpha)
    return x, extra, log_q

  def encode(p, x, key, train=False):
    """(z [B, D], nll [B]) of prepared data x."""
    k_deq, k_trace = jax.random.split(key)
    y, extra, log_q = flow_input(p, x, k_deq)
    rngs = {HUTCHINSON_RNG: k_trace} if (train and hutchinson) else {}
    z, logdet = flow.apply({'params': p['flow']}, y, rngs=rngs)
    return z, lik.negative_log_likelihood(prior.log_prob(z, m.prior), logdet + extra, log_q)

  def decode(p, z):
    """Latent [B, D] -> data space."""
    y, _ = flow.apply({'params': p['flow']}, z, inverse=True)
    return lik.logit_inverse(y, m.logit_alpha) if m.logit else y

  def init(key, batch):
    k_deq, k_noise, k_flow = jax.random.split(key, 3)
    x, params = batch['x'], {}
    if variational:
      k = lik.integer_pixels(x, config.data)
      params['dequantizer'] = dequantizer.init(k_deq, k / 127.5 - 1, k_noise)['params']
    y, _, _ = flow_input(params, x, k_noise)
    params['flow'] = flow.init(k_flow, y)['params']   # actnorm: data-dependent init
    return {'model': params}, {}

  def loss_fn(params, model_state, batch, key, step):
    nll = encode(params['model'], batch['x'], key, train=True)[1]
    metrics = {'nll': nll.mean()}
    if offset is not None:
      metrics['bpd'] = report_lib.bits_per_dim(nll.mean(), flow_net.latent_dim(info), offset)
    return nll.mean(), (metrics, model_state)

  def evaluate(params, model_state, batch, key):
    nll = encode(params['model'], batch['x'], key)[1]
    return {'loss': nll, **report_lib.report(nll, info, offset)}

  def generate(p, key, num, temperature):
    z = prior.sample(key, (num, flow_net.latent_dim(info)), m.prior, temperature)
    return decode(p, z)

  def sample(params, model_state, key, num, reference):
    return generate(params['model'], key, num, config.sample.temperature)

  tools = flow_modes.Tools(encode=encode, decode=decode, evaluate=evaluate, info=info,
                           prior=m.prior)
  optimizer = make_optimizer(config.train.optimizer, config.train.num_steps)
  return Model(init=init, players=(Player('model', loss_fn, optimizer),), evaluate=evaluate,
               sample=sample, visualize=flow_modes.make_visualize(tools),
               modes=flow_modes.make_modes(tools),
               check_params=glow.check_invertible if m.kind == 'glow' else None)


FAMILY = Family('flow', None, make)
