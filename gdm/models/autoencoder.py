"""Autoencoders: MLP, convolutional, stacked (greedy layer-wise) and denoising.

All three are a stack of (encoder, decoder) layers, one player per layer. A plain or
convolutional autoencoder is a stack of one. A stacked autoencoder (Bengio et al., 2007)
trains layer i alone during stage i to reconstruct the (fixed) code of layer i-1, then,
if `finetune`, every layer on the end-to-end reconstruction (the layers update one after
another within a step). A denoising autoencoder (Vincent et al., 2008) corrupts the input
and reconstructs the clean one; set `model.corruption`.
"""
import math

import flax.linen as nn
import jax
import jax.numpy as jnp
import ml_collections

from gdm.data.source import DatasetInfo
from gdm.metrics.image import psnr
from gdm.models.base import Model
from gdm.nn.conv import ConvDecoder, ConvEncoder, check_conv_data
from gdm.nn.mlp import MLP, activation
from gdm.objectives import corruption as corruption_lib
from gdm.objectives.reconstruction import (RECONSTRUCTION_LOSSES, output_to_data,
                                           reconstruction_loss, squared_error)
from gdm.train.optim import make_optimizer
from gdm.train.players import Player
from gdm.utils.checks import check_choice

KINDS = ('mlp', 'conv', 'stacked')


def value_bounds(data_config, info: DatasetInfo) -> tuple[float, float]:
  """Smallest and largest value of prepared images (what masking and salt-and-pepper noise
  write); real-valued data is masked to 0, its mean-ish value, and has no salt and pepper."""
  if not info.is_image:
    return 0.0, 0.0
  if data_config.binarize != 'none' or data_config.scale == 'zero_one':
    return 0.0, 1.0
  return (-1.0, 1.0) if data_config.scale == 'minus_one_one' else (0.0, 255.0)


def check_config(config: ml_collections.ConfigDict, info: DatasetInfo):
  m = config.model
  check_choice(m.kind, KINDS, 'autoencoder kind', 'model.kind')
  check_choice(m.loss, RECONSTRUCTION_LOSSES, 'reconstruction loss', 'model.loss')
  if m.loss == 'bce' and not info.is_image:
    raise ValueError(f"model.loss='bce' needs data in [0, 1]; {info.name!r} is real-valued: "
                     f"use model.loss='mse'")
  if m.loss == 'bce' and not (config.data.scale == 'zero_one' or config.data.binarize != 'none'):
    raise ValueError(f"model.loss='bce' needs data in [0, 1]: set data.scale='zero_one' or "
                     f"data.binarize, not scale={config.data.scale!r}")
  if m.corruption == 'salt_and_pepper' and not info.is_image:
    raise ValueError(f"model.corruption='salt_and_pepper' needs images with a value range; "
                     f"{info.name!r} is real-valued: use gaussian or masking")
  if m.kind == 'conv':
    check_conv_data(info, m.channels)
  corruption_lib.check_corruption(m.corruption, m.noise_level)
  if m.latent_dim <= 0:
    raise ValueError(f'model.latent_dim={m.latent_dim} must be > 0')
  activation(m.act)


class _Dense(nn.Module):
  features: int
  act: str | None
  dtype: jnp.dtype

  @nn.compact
  def __call__(self, x):
    x = nn.Dense(self.features, dtype=self.dtype)(x)
    return activation(self.act)(x) if self.act else x


class _Layer(nn.Module):
  """One (encoder, decoder) pair of the stack."""
  encoder: nn.Module
  decoder: nn.Module

  def __call__(self, x):
    return self.decoder(self.encoder(x))

  def encode(self, x):
    return self.encoder(x)

  def decode(self, z):
    return self.decoder(z)


def build_layers(m, info: DatasetInfo, dtype) -> list[nn.Module]:
  data_dim = math.prod(info.shape)
  if m.kind == 'conv':
    return [_Layer(ConvEncoder(m.channels, m.latent_dim, m.act, dtype),
                   ConvDecoder(m.channels, info.shape[0], info.shape[-1], m.act, dtype))]
  if m.kind == 'mlp':
    return [_Layer(MLP(tuple(m.hidden) + (m.latent_dim,), m.act, dtype),
                   MLP(tuple(m.hidden)[::-1] + (data_dim,), m.act, dtype))]
  widths = tuple(m.hidden) + (m.latent_dim,)
  ins = (data_dim,) + widths[:-1]
  return [_Layer(_Dense(w, m.act if i < len(widths) - 1 else None, dtype),
                 _Dense(d, m.act if i > 0 else None, dtype))
          for i, (w, d) in enumerate(zip(widths, ins))]


def make(config: ml_collections.ConfigDict, info: DatasetInfo) -> Model:
  check_config(config, info)
  m = config.model
  dtype = jnp.dtype(config.train.compute_dtype)
  layers = build_layers(m, info, dtype)
  num_layers = len(layers)
  names = ['model'] if num_layers == 1 else [f'layer{i}' for i in range(num_layers)]
  low, high = value_bounds(config.data, info)
  flat = m.kind != 'conv'
  stacked = m.kind == 'stacked'
  stages = num_layers + (1 if m.finetune else 0)
  stage_steps = m.stage_steps or max(config.train.num_steps // stages, 1)
  finetune_start = num_layers * stage_steps

  def to_input(x):
    return x.reshape(x.shape[0], -1) if flat else x

  def encode(params, x):
    h = to_input(x)
    for name, layer in zip(names, layers):
      h = layer.apply({'params': params[name]}, h, method='encode')
    return h

  def decode(params, z, shape):
    h = z
    for name, layer in reversed(list(zip(names, layers))):
      h = layer.apply({'params': params[name]}, h, method='decode')
    return h.astype(jnp.float32).reshape(shape)

  def reconstruct(params, x_in, shape):
    return decode(params, encode(params, x_in), shape)

  def corrupt(x, key):
    return corruption_lib.corrupt(x, key, m.corruption, m.noise_level, low, high)

  def end_to_end_loss(params, x, key):
    out = reconstruct(params, corrupt(x, key), x.shape)
    per_example = reconstruction_loss(m.loss, out, x)
    return per_example.mean(), {'mse': squared_error(output_to_data(m.loss, out), x).mean()
                                / math.prod(x.shape[1:])}

  def greedy_loss(index, params, x, key):
    """Layer `index` alone reconstructs the (corrupted) code of the layers below it."""
    h = to_input(x)
    for name, layer in zip(names[:index], layers[:index]):
      h = layer.apply({'params': params[name]}, h, method='encode')
    h = jax.lax.stop_gradient(h)
    out = layers[index].apply({'params': params[names[index]]}, corrupt(h, key))
    loss_name = m.loss if index == 0 else 'mse'
    return reconstruction_loss(loss_name, out.astype(jnp.float32), h).mean()

  def make_loss(index):
    def loss_fn(params, model_state, batch, key, step):
      x = batch['x']
      if not stacked:
        loss, metrics = end_to_end_loss(params, x, key)
      else:
        # Stacked: the loss of this layer's current stage (metrics are end-to-end in eval).
        greedy = lambda: greedy_loss(index, params, x, key)
        if m.finetune:
          loss = jax.lax.cond(step < finetune_start, greedy,
                              lambda: end_to_end_loss(params, x, key)[0])
        else:
          loss = greedy()
        metrics = {}
      return loss, (metrics, model_state)
    return loss_fn

  def make_active(index):
    if not stacked:
      return None
    def active(step):
      in_stage = (step >= index * stage_steps) & (step < (index + 1) * stage_steps)
      return in_stage | (m.finetune & (step >= finetune_start))
    return active

  optimizer = make_optimizer(config.train.optimizer, config.train.num_steps)
  players = tuple(Player(name, make_loss(i), optimizer, active=make_active(i))
                  for i, name in enumerate(names))

  def init(key, batch):
    h = to_input(batch['x'][:1])
    params = {}
    for i, (name, layer) in enumerate(zip(names, layers)):
      params[name] = layer.init(jax.random.fold_in(key, i), h)['params']
      h = layer.apply({'params': params[name]}, h, method='encode')
    return params, {}

  def evaluate(params, model_state, batch, key):
    x = batch['x']
    out = {}
    output = reconstruct(params, x, x.shape)
    recon = output_to_data(m.loss, output)
    out['loss'] = reconstruction_loss(m.loss, output, x)
    out['mse'] = squared_error(recon, x) / math.prod(x.shape[1:])
    if info.is_image:
      out['psnr'] = psnr(recon, x, high - low)
    if m.corruption != 'none':
      noisy = corrupt(x, key)
      denoised = output_to_data(m.loss, reconstruct(params, noisy, x.shape))
      out['denoise_mse'] = squared_error(denoised, x) / math.prod(x.shape[1:])
      if info.is_image:
        out['denoise_psnr'] = psnr(denoised, x, high - low)
        out['noisy_psnr'] = psnr(jnp.clip(noisy, low, high), x, high - low)
    return out

  def sample(params, model_state, key, num, reference):
    """Decodes codes drawn from a Gaussian fitted to the codes of `reference`: a plain
    autoencoder has no prior, and this is the usual way to look at what its decoder makes."""
    codes = encode(params, reference['x']).astype(jnp.float32)
    mean = codes.mean(0)
    cov = jnp.cov(codes, rowvar=False).reshape(codes.shape[1], codes.shape[1])
    cov = cov + 1e-5 * jnp.eye(codes.shape[1])
    z = jax.random.multivariate_normal(key, mean, cov, (num,), method='svd')
    return output_to_data(m.loss, decode(params, z, (num,) + tuple(info.shape)))

  def visualize(params, model_state, batch, key):
    if not info.is_image:   # the whole batch: the scatter then traces the learned manifold
      x = batch['x']
      return {'reconstruction': output_to_data(m.loss, reconstruct(params, x, x.shape))}
    x = batch['x'][:8]
    recon = output_to_data(m.loss, reconstruct(params, x, x.shape))
    rows = [x, recon]
    if m.corruption != 'none':
      noisy = corrupt(x, key)
      rows = [x, jnp.clip(noisy, low, high),
              output_to_data(m.loss, reconstruct(params, noisy, x.shape))]
    return {'reconstruction': jnp.stack(rows)}

  def reconstruct_mode(params, model_state, batch, key):
    """`--mode=reconstruct`: every input of the batch and its reconstruction."""
    x = batch['x']
    return {'inputs': x,
            'reconstructions': output_to_data(m.loss, reconstruct(params, x, x.shape))}

  return Model(init=init, players=players, evaluate=evaluate, sample=sample,
               visualize=visualize, modes={'reconstruct': reconstruct_mode})
