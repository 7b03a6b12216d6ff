"""Variational autoencoders: MLP or convolutional, beta-VAE, conditional, IWAE training.

One player minimises recon + w(step) * KL, with w warming up linearly to `beta` and optional
free bits (Kingma & Welling, 2014; Higgins et al., 2017; Kingma et al., 2016), or, with
model.k > 1, the IWAE bound with k samples (Burda et al., 2016). Evaluation reports, per
example, the ELBO and its terms, an IWAE estimate of the negative log-likelihood with
model.eval_k samples, and bits per dimension for images with the convention of
gdm.metrics.bits_per_dim (Bernoulli and discretized decoders are discrete; a Gaussian decoder is a
density, with bpd only on dequantized pixels). For binarized data it is bits per binary
dimension.
"""
import math

import jax
import jax.numpy as jnp
import ml_collections

from gdm.data.source import DatasetInfo
from gdm.metrics import bits_per_dim as likelihood
from gdm.models import vae_modes
from gdm.train.model import Family, Model
from gdm.models.vae_net import VARIANCES, VAENet
from gdm.nn.conv import check_conv_data
from gdm.nn.mlp import activation
from gdm.objectives import elbo as elbo_lib
from gdm.objectives import decoder_likelihoods as lik
from gdm.train.optim import make_optimizer
from gdm.train.players import Player
from gdm.utils.checks import check_choice

KINDS = ('mlp', 'conv')


def _check_decoder(config, info: DatasetInfo):
  m, d = config.model, config.data
  if m.decoder == 'bernoulli':
    if not info.is_image or d.binarize == 'none':
      raise ValueError(f"model.decoder='bernoulli' needs binary data: set data.binarize=static "
                       f"or dynamic (dataset {info.name!r}, binarize={d.binarize!r})")
  elif m.decoder == 'discretized_logistic':
    if not info.is_image or d.scale != 'minus_one_one' or d.dequantize or d.binarize != 'none':
      raise ValueError(f"model.decoder='discretized_logistic' needs 8-bit images in [-1, 1]: "
                       f"data.scale='minus_one_one', no dequantize, no binarize (dataset "
                       f"{info.name!r}, scale={d.scale!r}, dequantize={d.dequantize}, "
                       f"binarize={d.binarize!r})")
    if m.num_mixtures < 1:
      raise ValueError(f'model.num_mixtures={m.num_mixtures} must be >= 1')
  else:
    check_choice(m.variance, VARIANCES, 'Gaussian variance', 'model.variance')
    if m.variance == 'fixed' and m.fixed_std <= 0:
      raise ValueError(f'model.fixed_std={m.fixed_std} must be > 0')


def check_config(config: ml_collections.ConfigDict, info: DatasetInfo):
  m = config.model
  check_choice(m.kind, KINDS, 'VAE kind', 'model.kind')
  check_choice(m.decoder, lik.LIKELIHOODS, 'decoder likelihood', 'model.decoder')
  check_choice(m.kl, elbo_lib.KL_ESTIMATORS, 'KL estimator', 'model.kl')
  activation(m.act)
  if m.latent_dim <= 0:
    raise ValueError(f'model.latent_dim={m.latent_dim} must be > 0')
  elbo_lib.check_num_samples(m.k, 'model.k')
  elbo_lib.check_num_samples(m.eval_k, 'model.eval_k')
  if m.beta < 0 or m.free_bits < 0 or m.warmup_steps < 0:
    raise ValueError(f'model.beta={m.beta}, free_bits={m.free_bits} and warmup_steps='
                     f'{m.warmup_steps} must be >= 0')
  if m.k > 1 and (m.beta != 1 or m.warmup_steps or m.free_bits):
    raise ValueError(f'model.k={m.k} trains the IWAE bound; beta, warmup_steps and free_bits '
                     'apply to the ELBO only (k=1)')
  if m.free_bits and m.kl == 'mc':
    raise ValueError("model.free_bits acts on the analytic per-dimension KL: use "
                     "model.kl='analytic'")
  if config.sample.temperature <= 0:
    raise ValueError(f'sample.temperature={config.sample.temperature} must be > 0')
  if m.conditional and info.num_classes <= 0:
    raise ValueError(f'model.conditional=True needs a labelled dataset; {info.name!r} has no '
                     'labels')
  if m.kind == 'conv':
    check_conv_data(info, m.channels)
  _check_decoder(config, info)


def bpd_offset(config, info: DatasetInfo) -> float | None:
  """Nats from the nll in prepared units to the nll of 8-bit pixels; None = no bpd."""
  kind = 'density' if config.model.decoder == 'gaussian' else 'discrete'
  return likelihood.pixel_offset(config.data, info, kind)


def make(config: ml_collections.ConfigDict, info: DatasetInfo) -> Model:
  check_config(config, info)
  m = config.model
  num_classes = info.num_classes if m.conditional else 0
  net = VAENet(kind=m.kind, hidden=tuple(m.hidden), channels=tuple(m.channels),
               latent_dim=m.latent_dim, data_shape=tuple(info.shape),
               out_channels=lik.decoder_channels(m.decoder, info.shape[-1], m.num_mixtures),
               act=m.act, num_classes=num_classes,
               variance=m.variance if m.decoder == 'gaussian' else 'fixed',
               dtype=jnp.dtype(config.train.compute_dtype))
  offset = bpd_offset(config, info)

  def labels(batch):
    return batch['y'] if num_classes else None

  def encode(p, x, y):
    return net.apply({'params': p}, x, y, method='encode')

  def decode(p, z, y):
    return net.apply({'params': p}, z, y, method='decode')

  def log_likelihood(p, out, x):
    if m.decoder == 'bernoulli':
      return lik.bernoulli_log_prob(out, x)
    if m.decoder == 'discretized_logistic':
      return lik.discretized_logistic_log_prob(out, x, m.num_mixtures)
    log_std = (math.log(m.fixed_std) if m.variance == 'fixed'
               else net.apply({'params': p}, method='noise_log_std'))
    return lik.gaussian_log_prob(out, log_std, x)

  def to_data(out):
    """Decoder output -> its mean in data space (Bernoulli probabilities for binary data)."""
    if m.decoder == 'bernoulli':
      return jax.nn.sigmoid(out)
    if m.decoder == 'discretized_logistic':
      return lik.discretized_logistic_mean(out, m.num_mixtures)
    return out

  def posterior(p, batch):
    x, y = batch['x'], labels(batch)
    mean, log_var = encode(p, x, y)
    return mean, log_var, lambda z: log_likelihood(p, decode(p, z, y), x)

  def loss_fn(params, model_state, batch, key, step):
    mean, log_var, ll = posterior(params['model'], batch)
    if m.k > 1:
      loss = elbo_lib.iwae_loss(key, mean, log_var, ll, m.k).mean()
      return loss, ({'iwae_bound': -loss}, model_state)
    terms = elbo_lib.elbo(key, mean, log_var, ll, m.kl)
    weight = elbo_lib.kl_weight(step, m.beta, m.warmup_steps)
    kl_term = (elbo_lib.free_bits_kl(terms['kl_per_dim'], m.free_bits) if m.free_bits
               else terms['kl'].mean())
    loss = terms['recon'].mean() + weight * kl_term
    metrics = {'elbo': terms['elbo'].mean(), 'kl': terms['kl'].mean(),
               'recon': terms['recon'].mean(), 'kl_weight': weight}
    return loss, (metrics, model_state)

  def init(key, batch):
    x = batch['x'][:1]
    y = labels(batch)[:1] if num_classes else None
    return {'model': net.init(key, x, y)['params']}, {}

  def evaluate(params, model_state, batch, key):
    k_elbo, k_iwae = jax.random.split(key)
    mean, log_var, ll = posterior(params['model'], batch)
    terms = elbo_lib.elbo(k_elbo, mean, log_var, ll, m.kl)
    nll = -elbo_lib.iwae_bound(k_iwae, mean, log_var, ll, m.eval_k, m.eval_chunk)
    out = {'elbo': terms['elbo'], 'loss': -terms['elbo'], 'kl': terms['kl'],
           'recon': terms['recon'], 'nll': nll}
    out.update(likelihood.report(nll, info, offset))
    return out

  def generate(p, key, num, y=None, z=None):
    if z is None:
      z = config.sample.temperature * jax.random.normal(key, (num, m.latent_dim))
    return to_data(decode(p, z, y))

  def sample(params, model_state, key, num, reference):
    y = jnp.arange(num) % num_classes if num_classes else None
    return generate(params['model'], key, num, y)

  def reconstruct(p, x, y):
    return to_data(decode(p, encode(p, x, y)[0], y))

  def visualize(params, model_state, batch, key):
    p, x, y = params['model'], batch['x'], labels(batch)
    if not info.is_image:   # the whole batch: a point cloud
      return {'reconstruction': reconstruct(p, x, y)}
    n = min(8, x.shape[0])
    y = None if y is None else y[:n]
    return {'reconstruction': jnp.stack([x[:n], reconstruct(p, x[:n], y)])}

  tools = vae_modes.Tools(encode=encode, reconstruct=reconstruct, generate=generate,
                          labels=labels, evaluate=evaluate, is_image=info.is_image,
                          num_classes=num_classes, latent_dim=m.latent_dim,
                          impute_steps=m.impute_steps,
                          temperature=config.sample.temperature)
  optimizer = make_optimizer(config.train.optimizer, config.train.num_steps)
  return Model(init=init, players=(Player('model', loss_fn, optimizer),), evaluate=evaluate,
               sample=sample, visualize=visualize, modes=vae_modes.make_modes(tools))


FAMILY = Family('vae', None, make)
