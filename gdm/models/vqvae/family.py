"""VQ-VAE (van den Oord et al., 2017): a conv encoder, a vector quantizer, a conv decoder.

Loss per example: ||x - dec(z_q)||^2 + ||sg(z_e) - e||^2 + beta ||z_e - sg(e)||^2, every
term a sum over its pixels or latent entries (the paper's objective with a unit-variance
Gaussian decoder, up to a factor), averaged over the batch. With `model.ema_codebook` the
codebook is not a parameter: it lives in `model_state` (checkpointed with the train state),
is moved by exponential moving averages of its assigned encoder outputs, and the codebook
term is dropped; `model.dead_code_threshold` > 0 then restarts codes that fall out of use.
Evaluation, sampling and visualisation use the trainer's EMA params with the codebook of the
current `model_state` (for the EMA codebook) or of the EMA params.

`sample` here decodes code maps whose entries are drawn independently from the code
frequencies of the reference batch: a look at what the decoder makes of plausible codes, not
samples from a trained generative model. New images need a prior over code maps (the
autoregressive family's vqvae_prior_*.py configs); the launcher's family,
gdm/models/vqvae_prior.py, samples through one when `model.prior_workdir` names it.

Every function here takes the `VQVAE` that `build` makes once from the config.
"""
import dataclasses
import math

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.data.preprocess import data_range
from gdm.data.source import DatasetInfo
from gdm.metrics.image import psnr
from gdm.models.vqvae.config import VQVAEConfig, check
from gdm.models.vqvae.nets import build_networks
from gdm.nn import vector_quantizer as vq
from gdm.objectives.reconstruction import squared_error
from gdm.train.config import RunConfig


@dataclasses.dataclass(frozen=True)
class VQVAE:
  """What every function of the family needs, built once from the config."""
  m: VQVAEConfig
  info: DatasetInfo
  encoder: nn.Module
  decoder: nn.Module
  pixels: int                   # values per image (the mse's denominator)
  value_range: float            # width of the prepared data's range (for psnr)


def build(run: RunConfig, info: DatasetInfo) -> VQVAE:
  check(run.model, info)
  encoder, decoder = build_networks(run.model, info, jnp.dtype(run.train.compute_dtype))
  return VQVAE(m=run.model, info=info, encoder=encoder, decoder=decoder,
               pixels=math.prod(info.shape), value_range=data_range(run.data.pixels, info))


def codebook_of(v: VQVAE, params, model_state):
  return model_state['quantizer']['codebook'] if v.m.ema_codebook else params['model']['codebook']


def encode(v: VQVAE, params, model_state, x):
  z_e = v.encoder.apply({'params': params['model']['encoder']}, x).astype(jnp.float32)
  return z_e, vq.quantize(z_e, codebook_of(v, params, model_state))


def decode(v: VQVAE, params, z_q):
  return v.decoder.apply({'params': params['model']['decoder']}, z_q).astype(jnp.float32)


def codes_of(v: VQVAE, params, model_state, x):
  """Integer code maps [B, h, w] of prepared images x."""
  return encode(v, params, model_state, x)[1]['codes']


def decode_codes(v: VQVAE, params, model_state, codes):
  """Images from integer code maps [B, h, w]."""
  return decode(v, params, jnp.asarray(codebook_of(v, params, model_state))[codes])


def reconstruct(v: VQVAE, params, model_state, x):
  return decode(v, params, encode(v, params, model_state, x)[1]['z_q'])


def per_example_losses(v: VQVAE, params, model_state, x):
  z_e, q = encode(v, params, model_state, x)
  x_hat = decode(v, params, q['z_q'])
  recon = squared_error(x_hat, x)
  vq_loss = v.m.commitment_cost * q['commitment_loss'] + (
      0.0 if v.m.ema_codebook else q['codebook_loss'])
  return z_e, q, x_hat, recon, recon + vq_loss


def loss(v: VQVAE, params, model_state, batch, key, step):
  del step
  m = v.m
  z_e, q, _, recon, total = per_example_losses(v, params, model_state, batch['x'])
  counts = vq.code_counts(q['codes'], m.num_codes)
  metrics = {'mse': recon.mean() / v.pixels, 'commitment_loss': q['commitment_loss'].mean(),
             'codebook_loss': q['codebook_loss'].mean(),
             'perplexity': vq.perplexity(counts), 'usage': vq.usage(counts)}
  if m.ema_codebook:
    state = vq.ema_update(model_state['quantizer'], z_e, q['codes'], m.codebook_decay,
                          m.codebook_epsilon)
    if m.dead_code_threshold > 0:
      state, metrics['restarted_codes'] = vq.restart_dead_codes(
          state, z_e, key, m.codebook_decay, m.dead_code_threshold)
    model_state = {**model_state, 'quantizer': state}
  return total.mean(), (metrics, model_state)


def init(v: VQVAE, key, batch):
  k_enc, k_dec, k_code = jax.random.split(key, 3)
  x = batch['x'][:1]
  enc = v.encoder.init(k_enc, x)['params']
  z = jax.eval_shape(lambda: v.encoder.apply({'params': enc}, x))
  dec = v.decoder.init(k_dec, jnp.zeros(z.shape, jnp.float32))['params']
  codebook = vq.init_codebook(k_code, v.m.num_codes, v.m.code_dim)
  if v.m.ema_codebook:
    return {'model': {'encoder': enc, 'decoder': dec}}, {'quantizer': vq.ema_init(codebook)}
  return {'model': {'encoder': enc, 'decoder': dec, 'codebook': codebook}}, {}


def evaluate(v: VQVAE, params, model_state, batch, key):
  """Per-example values; `perplexity` and `usage` are statistics of the batch, repeated
  for each example, so the loop reports their (example-weighted) mean over batches."""
  del key
  x = batch['x']
  _, q, x_hat, recon, total = per_example_losses(v, params, model_state, x)
  counts = vq.code_counts(q['codes'], v.m.num_codes, batch.get('mask'))
  ones = jnp.ones((x.shape[0],), jnp.float32)
  return {'loss': total, 'mse': recon / v.pixels, 'psnr': psnr(x_hat, x, v.value_range),
          'commitment_loss': q['commitment_loss'],
          'perplexity': vq.perplexity(counts) * ones, 'usage': vq.usage(counts) * ones}


def sample(v: VQVAE, params, model_state, key, num, reference):
  """Code maps drawn entry by entry from the reference batch's code frequencies, decoded."""
  codes = codes_of(v, params, model_state, reference['x'])
  drawn = vq.draw_like(key, codes, v.m.num_codes, num, reference.get('mask'))
  return decode(v, params, codebook_of(v, params, model_state)[drawn])


def visualize(v: VQVAE, params, model_state, batch, key):
  del key
  x = batch['x'][:8]
  return {'reconstruction': jnp.stack([x, reconstruct(v, params, model_state, x)])}
