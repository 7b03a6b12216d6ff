"""VQ-VAE (van den Oord et al., 2017): a conv encoder, a vector quantizer, a conv decoder.

Loss per example: ||x - dec(z_q)||^2 + ||sg(z_e) - e||^2 + beta ||z_e - sg(e)||^2, every
term a sum over its pixels or latent entries (the paper's objective with a unit-variance
Gaussian decoder, up to a factor), averaged over the batch. With `model.ema_codebook` the
codebook is not a parameter: it lives in `model_state` (checkpointed with the train state),
is moved by exponential moving averages of its assigned encoder outputs, and the codebook
term is dropped; `model.dead_code_threshold` > 0 then restarts codes that fall out of use.
Evaluation, sampling and visualisation use the trainer's EMA params with the codebook of the
current `model_state` (for the EMA codebook) or of the EMA params.

Sampling needs a prior over code maps: the paper's PixelCNN prior is the autoregressive
family's config experiments/configs/autoregressive/vqvae_prior_digits.py (`model.vqvae_workdir`
= a run of this model). With `model.prior_workdir` = that prior's run, `sample` (and so
`--mode=sample` and sample metrics) draws new images through it (gdm/models/vqvae_prior.py).
Without one, `sample` decodes code maps whose entries are drawn independently from the code
frequencies of the reference batch: a look at what the decoder makes of plausible codes, not
samples from a trained generative model.
"""
import math

import jax
import jax.numpy as jnp
import ml_collections

from gdm.data.preprocess import data_range
from gdm.data.source import DatasetInfo
from gdm.metrics.image import psnr
from gdm.train.model import Family, Model
from gdm.nn import vector_quantizer as vq
from gdm.nn.conv import check_conv_data
from gdm.nn.mlp import activation
from gdm.nn.spatial_conv import SpatialDecoder, SpatialEncoder
from gdm.objectives.reconstruction import squared_error
from gdm.train.optim import make_optimizer
from gdm.train.players import Player


def check_config(config: ml_collections.ConfigDict, info: DatasetInfo):
  m = config.model
  if not m.channels:
    raise ValueError('model.channels must list at least one stride-2 level')
  check_conv_data(info, m.channels, 'the VQ-VAE')
  for key in ('num_codes', 'code_dim', 'res_channels'):
    if m[key] < 1:
      raise ValueError(f'model.{key}={m[key]} must be >= 1')
  if m.num_res_blocks < 0:
    raise ValueError(f'model.num_res_blocks={m.num_res_blocks} must be >= 0')
  if not m.commitment_cost >= 0:
    raise ValueError(f'model.commitment_cost={m.commitment_cost} must be >= 0')
  if not 0 <= m.codebook_decay < 1:
    raise ValueError(f'model.codebook_decay={m.codebook_decay} must be in [0, 1)')
  if not m.codebook_epsilon > 0:
    raise ValueError(f'model.codebook_epsilon={m.codebook_epsilon} must be > 0')
  if not m.dead_code_threshold >= 0:
    raise ValueError(f'model.dead_code_threshold={m.dead_code_threshold} must be >= 0')
  if m.dead_code_threshold > 0 and not m.ema_codebook:
    raise ValueError('model.dead_code_threshold > 0 needs model.ema_codebook=True (restarts '
                     'rewrite the codebook, which only an EMA codebook in model_state allows)')
  activation(m.act)


def build_networks(m, info: DatasetInfo, dtype):
  encoder = SpatialEncoder(tuple(m.channels), m.code_dim, m.num_res_blocks, m.res_channels,
                           m.act, dtype)
  decoder = SpatialDecoder(tuple(m.channels), info.shape[-1], m.num_res_blocks,
                           m.res_channels, m.act, dtype)
  return encoder, decoder


def make(config: ml_collections.ConfigDict, info: DatasetInfo) -> Model:
  check_config(config, info)
  m = config.model
  dtype = jnp.dtype(config.train.compute_dtype)
  encoder, decoder = build_networks(m, info, dtype)
  num_codes, beta, ema = m.num_codes, m.commitment_cost, m.ema_codebook
  decay, epsilon, threshold = m.codebook_decay, m.codebook_epsilon, m.dead_code_threshold
  pixels = math.prod(info.shape)
  value_range = data_range(config.data, info)

  def codebook_of(params, model_state):
    return model_state['quantizer']['codebook'] if ema else params['model']['codebook']

  def encode(params, model_state, x):
    z_e = encoder.apply({'params': params['model']['encoder']}, x).astype(jnp.float32)
    return z_e, vq.quantize(z_e, codebook_of(params, model_state))

  def decode(params, z_q):
    return decoder.apply({'params': params['model']['decoder']}, z_q).astype(jnp.float32)

  def per_example_losses(params, model_state, x):
    z_e, q = encode(params, model_state, x)
    x_hat = decode(params, q['z_q'])
    recon = squared_error(x_hat, x)
    vq_loss = beta * q['commitment_loss'] + (0.0 if ema else q['codebook_loss'])
    return z_e, q, x_hat, recon, recon + vq_loss

  def loss_fn(params, model_state, batch, key, step):
    del step
    z_e, q, _, recon, total = per_example_losses(params, model_state, batch['x'])
    counts = vq.code_counts(q['codes'], num_codes)
    metrics = {'mse': recon.mean() / pixels, 'commitment_loss': q['commitment_loss'].mean(),
               'codebook_loss': q['codebook_loss'].mean(),
               'perplexity': vq.perplexity(counts), 'usage': vq.usage(counts)}
    if ema:
      state = vq.ema_update(model_state['quantizer'], z_e, q['codes'], decay, epsilon)
      if threshold > 0:
        state, metrics['restarted_codes'] = vq.restart_dead_codes(state, z_e, key, decay,
                                                                  threshold)
      model_state = {**model_state, 'quantizer': state}
    return total.mean(), (metrics, model_state)

  optimizer = make_optimizer(config.train.optimizer, config.train.num_steps)

  def init(key, batch):
    k_enc, k_dec, k_code = jax.random.split(key, 3)
    x = batch['x'][:1]
    enc = encoder.init(k_enc, x)['params']
    z = jax.eval_shape(lambda: encoder.apply({'params': enc}, x))
    dec = decoder.init(k_dec, jnp.zeros(z.shape, jnp.float32))['params']
    codebook = vq.init_codebook(k_code, num_codes, m.code_dim)
    if ema:
      return {'model': {'encoder': enc, 'decoder': dec}}, {'quantizer': vq.ema_init(codebook)}
    return {'model': {'encoder': enc, 'decoder': dec, 'codebook': codebook}}, {}

  def evaluate(params, model_state, batch, key):
    """Per-example values; `perplexity` and `usage` are statistics of the batch, repeated
    for each example, so the loop reports their (example-weighted) mean over batches."""
    del key
    x = batch['x']
    _, q, x_hat, recon, total = per_example_losses(params, model_state, x)
    counts = vq.code_counts(q['codes'], num_codes, batch.get('mask'))
    ones = jnp.ones((x.shape[0],), jnp.float32)
    return {'loss': total, 'mse': recon / pixels, 'psnr': psnr(x_hat, x, value_range),
            'commitment_loss': q['commitment_loss'],
            'perplexity': vq.perplexity(counts) * ones, 'usage': vq.usage(counts) * ones}

  def codes_of(params, model_state, x):
    return encode(params, model_state, x)[1]['codes']

  def sample(params, model_state, key, num, reference):
    codes = codes_of(params, model_state, reference['x'])
    counts = vq.code_counts(codes, num_codes, reference.get('mask'))
    logits = jnp.log(counts)                                   # -inf for unused codes
    # Drawn as a flat vector: XLA:CPU compiles rank >= 3 random draws very slowly.
    shape = (num,) + codes.shape[1:]
    drawn = jax.random.categorical(key, logits, shape=(math.prod(shape),)).reshape(shape)
    return decode(params, codebook_of(params, model_state)[drawn])

  def reconstruct(params, model_state, x):
    return decode(params, encode(params, model_state, x)[1]['z_q'])

  def visualize(params, model_state, batch, key):
    del key
    x = batch['x'][:8]
    return {'reconstruction': jnp.stack([x, reconstruct(params, model_state, x)])}

  def reconstruct_mode(params, model_state, batch, key):
    del key
    return {'x': batch['x'], 'reconstruction': reconstruct(params, model_state, batch['x'])}

  def codes_mode(params, model_state, batch, key):
    """Integer code maps [B, h, w] of the batch: the training data of a prior over codes."""
    del key
    return {'codes': codes_of(params, model_state, batch['x'])}

  return Model(init=init, players=(Player('model', loss_fn, optimizer),), evaluate=evaluate,
               sample=sample, visualize=visualize,
               modes={'reconstruct': reconstruct_mode, 'codes': codes_mode})


FAMILY = Family('vqvae', None, make)
