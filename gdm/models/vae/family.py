"""Variational autoencoders: MLP or convolutional, conditional, any ELBO variant.

One player minimises the objective model.objective picks from
gdm.objectives.elbo_variants.VARIANTS (the ELBO with beta, warm-up and free bits; the IWAE
bound; ...). The family encodes the batch, draws the latent sample(s) the variant asks for
once, and hands it the whole minibatch. Evaluation does not depend on the objective: per
example, the ELBO and its terms, an IWAE estimate of the negative log-likelihood with
model.eval_k samples, and bits per dimension for images with the convention of
gdm.metrics.bits_per_dim (Bernoulli and discretized decoders are discrete; a Gaussian decoder
is a density, with bpd only on dequantized pixels). For binarized data it is bits per binary
dimension.

Every function here takes the `VAE` that `build` makes once from the config; the package's
`make` binds them into the trainer's `Model`.
"""
import dataclasses
import functools
import math
from typing import Callable

import jax
import jax.numpy as jnp

from gdm.data.config import PixelFormat
from gdm.data.source import DatasetInfo
from gdm.metrics import bits_per_dim as likelihood
from gdm.models.vae.config import VAEConfig, check, context
from gdm.models.vae.nets import VAENet, build_net
from gdm.objectives import decoder_likelihoods as lik
from gdm.objectives import elbo as elbo_lib
from gdm.objectives.elbo_variants import VARIANTS, Latents
from gdm.train.config import RunConfig


def bpd_offset(decoder: str, pixels: PixelFormat, info: DatasetInfo) -> float | None:
  """Nats from the nll in prepared units to the nll of 8-bit pixels; None = no bpd."""
  kind = 'density' if decoder == 'gaussian' else 'discrete'
  return likelihood.pixel_offset(pixels, info, kind)


@dataclasses.dataclass(frozen=True)
class VAE:
  """What every function of the family needs, built once from the config."""
  m: VAEConfig
  info: DatasetInfo
  net: VAENet
  num_classes: int                  # > 0: conditional on the label
  offset: float | None              # bpd_offset
  temperature: float                # sample.temperature: scales the prior's std
  decoder_mean: bool                # sample.decoder_mean: samples are E[x | z], not draws
  grid_samples: int                 # sample.num_samples: the training sample grid's size
  objective: Callable               # objective(Latents) -> (loss, metrics): the variant's
  num_samples: int                  # latent samples the objective asks for (0 = one, [B, D])


def build(run: RunConfig, info: DatasetInfo) -> VAE:
  m = run.model
  check(run, info)
  variant = VARIANTS[m.objective]
  cfg = m.variant_config
  return VAE(m=m, info=info, net=build_net(m, info, jnp.dtype(run.train.compute_dtype)),
             num_classes=info.num_classes if m.conditional else 0,
             offset=bpd_offset(m.decoder, run.data.pixels, info),
             temperature=run.sample.temperature, decoder_mean=run.sample.decoder_mean,
             grid_samples=run.sample.num_samples,
             objective=functools.partial(variant.loss, cfg, context(run, info)),
             num_samples=variant.num_samples(cfg))


def labels(vae: VAE, batch):
  return batch['y'] if vae.num_classes else None


def encode(vae: VAE, p, x, y):
  """(mean, log_var) of q(z|x), each [B, latent_dim]; p = params['model']."""
  return vae.net.apply({'params': p}, x, y, method='encode')


def decode(vae: VAE, p, z, y):
  return vae.net.apply({'params': p}, z, y, method='decode')


def noise_log_std(vae: VAE, p):
  """A Gaussian decoder's log std: model.fixed_std's log, or the learned parameter."""
  if vae.m.variance == 'fixed':
    return math.log(vae.m.fixed_std)
  return vae.net.apply({'params': p}, method='noise_log_std')


# model.decoder -> builder(vae, params['model']) -> the decoder distribution p(x | output).
DECODERS = {
    'bernoulli': lambda vae, p: lik.Bernoulli(),
    'gaussian': lambda vae, p: lik.Gaussian(noise_log_std(vae, p)),
    'discretized_logistic': lambda vae, p: lik.DiscretizedLogistic(vae.m.num_mixtures),
}


def decoder(vae: VAE, p):
  return DECODERS[vae.m.decoder](vae, p)


def log_likelihood(vae: VAE, p, out, x):
  """log p(x | decoder output), [B]."""
  return decoder(vae, p).log_prob(out, x)


def decoder_log_likelihood(vae: VAE, p, x, y, z):
  """log p(x|z), [B]: what the bounds call on latent samples."""
  return log_likelihood(vae, p, decode(vae, p, z, y), x)


def to_data(vae: VAE, p, out):
  """Decoder output -> its mean in data space (Bernoulli probabilities for binary data)."""
  return decoder(vae, p).mean(out)


def posterior(vae: VAE, p, batch):
  """q(z|x)'s mean and log-variance, and z -> log p(x|z) for the batch."""
  x, y = batch['x'], labels(vae, batch)
  mean, log_var = encode(vae, p, x, y)
  return mean, log_var, functools.partial(decoder_log_likelihood, vae, p, x, y)


def loss(vae: VAE, params, model_state, batch, key, step):
  mean, log_var, ll = posterior(vae, params['model'], batch)
  z = elbo_lib.draw_latents(key, mean, log_var, vae.num_samples)
  value, metrics = vae.objective(Latents(mean=mean, log_var=log_var, z=z, log_likelihood=ll,
                                         step=step))
  return value, (metrics, model_state)


def init(vae: VAE, key, batch):
  x = batch['x'][:1]
  y = labels(vae, batch)[:1] if vae.num_classes else None
  return {'model': vae.net.init(key, x, y)['params']}, {}


def evaluate(vae: VAE, params, model_state, batch, key):
  k_elbo, k_iwae = jax.random.split(key)
  m = vae.m
  mean, log_var, ll = posterior(vae, params['model'], batch)
  terms = elbo_lib.elbo(k_elbo, mean, log_var, ll, m.kl)
  nll = -elbo_lib.iwae_bound(k_iwae, mean, log_var, ll, m.eval_k, m.eval_chunk)
  out = {'elbo': terms['elbo'], 'loss': -terms['elbo'], 'kl': terms['kl'],
         'recon': terms['recon'], 'nll': nll}
  out.update(likelihood.report(nll, vae.info, vae.offset))
  return out


def prior_draw(vae: VAE, key, num):
  """`num` latents from the prior, its std scaled by sample.temperature."""
  return vae.temperature * jax.random.normal(key, (num, vae.m.latent_dim))


def generate(vae: VAE, p, z, y=None):
  """The decoder's means E[x | z] in data space: what pictures of a VAE show."""
  return to_data(vae, p, decode(vae, p, z, y))


def sample(vae: VAE, params, model_state, key, num, reference):
  """x ~ p(x | z) with z from the prior (sample.decoder_mean: E[x | z] instead)."""
  p = params['model']
  y = jnp.arange(num) % vae.num_classes if vae.num_classes else None
  out = decode(vae, p, prior_draw(vae, key, num), y)
  if vae.decoder_mean:
    return to_data(vae, p, out)
  return decoder(vae, p).sample(jax.random.fold_in(key, 1), out)


def reconstruct(vae: VAE, p, x, y):
  """Decodes the posterior mean of x, in data space."""
  return generate(vae, p, encode(vae, p, x, y)[0], y)


def visualize(vae: VAE, params, model_state, batch, key):
  """Reconstructions; for images also the sample grid, as decoder means of prior draws (what
  VAE papers show: a draw of every pixel is noise on top of the picture)."""
  p, x, y = params['model'], batch['x'], labels(vae, batch)
  if not vae.info.is_image:   # the whole batch: a point cloud
    return {'reconstruction': reconstruct(vae, p, x, y)}
  n = min(8, x.shape[0])
  y = None if y is None else y[:n]
  num = vae.grid_samples
  y_grid = jnp.arange(num) % vae.num_classes if vae.num_classes else None
  return {'reconstruction': jnp.stack([x[:n], reconstruct(vae, p, x[:n], y)]),
          'samples': generate(vae, p, prior_draw(vae, key, num), y_grid)}
