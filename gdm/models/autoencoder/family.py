"""Autoencoders: MLP, convolutional, stacked (greedy layer-wise) and denoising.

All three are a stack of (encoder, decoder) layers, one player per layer. A plain or
convolutional autoencoder is a stack of one. A stacked autoencoder (Bengio et al., 2007)
trains layer i alone during stage i to reconstruct the (fixed) code of layer i-1, then,
if `finetune`, every layer on the end-to-end reconstruction (the layers update one after
another within a step). A denoising autoencoder (Vincent et al., 2008) corrupts the input
and reconstructs the clean one; set `model.corruption`.

Every function here takes the `Autoencoder` that `build` makes once from the config; the
package's `make` binds them into the trainer's `Model`.
"""
import dataclasses
import math

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.data.config import DataConfig
from gdm.data.source import DatasetInfo
from gdm.metrics.image import psnr
from gdm.models.autoencoder.config import AutoencoderConfig, check
from gdm.models.autoencoder.nets import build_layers
from gdm.objectives import corruption as corruption_lib
from gdm.objectives.reconstruction import output_to_data, reconstruction_loss, squared_error
from gdm.train.config import RunConfig


def value_bounds(data: DataConfig, info: DatasetInfo) -> tuple[float, float]:
  """Smallest and largest value of prepared images (what masking and salt-and-pepper noise
  write); real-valued data is masked to 0, its mean-ish value, and has no salt and pepper."""
  if not info.is_image:
    return 0.0, 0.0
  if data.binarize != 'none' or data.scale == 'zero_one':
    return 0.0, 1.0
  return (-1.0, 1.0) if data.scale == 'minus_one_one' else (0.0, 255.0)


@dataclasses.dataclass(frozen=True)
class Autoencoder:
  """What every function of the family needs, built once from the config."""
  m: AutoencoderConfig
  info: DatasetInfo
  layers: tuple[nn.Module, ...]
  names: tuple[str, ...]            # one player (params entry) per layer
  low: float                        # value range of prepared data
  high: float
  stage_steps: int                  # stacked: steps per greedy stage
  finetune_start: int               # stacked: first end-to-end step

  @property
  def flat(self) -> bool:
    return self.m.kind != 'conv'

  @property
  def stacked(self) -> bool:
    return self.m.kind == 'stacked'


def build(run: RunConfig, info: DatasetInfo) -> Autoencoder:
  m = run.model
  check(m, run.data, info)
  layers = tuple(build_layers(m, info, jnp.dtype(run.train.compute_dtype)))
  n = len(layers)
  names = ('model',) if n == 1 else tuple(f'layer{i}' for i in range(n))
  stages = n + (1 if m.finetune else 0)
  stage_steps = m.stage_steps or max(run.train.num_steps // stages, 1)
  low, high = value_bounds(run.data, info)
  return Autoencoder(m=m, info=info, layers=layers, names=names, low=low, high=high,
                     stage_steps=stage_steps, finetune_start=n * stage_steps)


def to_input(ae: Autoencoder, x):
  return x.reshape(x.shape[0], -1) if ae.flat else x


def encode(ae: Autoencoder, params, x):
  h = to_input(ae, x)
  for name, layer in zip(ae.names, ae.layers):
    h = layer.apply({'params': params[name]}, h, method='encode')
  return h


def decode(ae: Autoencoder, params, z, shape):
  h = z
  for name, layer in reversed(list(zip(ae.names, ae.layers))):
    h = layer.apply({'params': params[name]}, h, method='decode')
  return h.astype(jnp.float32).reshape(shape)


def reconstruct(ae: Autoencoder, params, x_in, shape):
  return decode(ae, params, encode(ae, params, x_in), shape)


def reconstruct_data(ae: Autoencoder, params, x):
  """The reconstruction of x in data space (probabilities for a bce model)."""
  return output_to_data(ae.m.loss, reconstruct(ae, params, x, x.shape))


def corrupt(ae: Autoencoder, x, key):
  return corruption_lib.corrupt(x, key, ae.m.corruption, ae.m.noise_level, ae.low, ae.high)


def end_to_end_loss(ae: Autoencoder, params, x, key):
  out = reconstruct(ae, params, corrupt(ae, x, key), x.shape)
  per_example = reconstruction_loss(ae.m.loss, out, x)
  return per_example.mean(), {'mse': squared_error(output_to_data(ae.m.loss, out), x).mean()
                              / math.prod(x.shape[1:])}


def greedy_loss(ae: Autoencoder, index: int, params, x, key):
  """Layer `index` alone reconstructs the (corrupted) code of the layers below it."""
  h = to_input(ae, x)
  for name, layer in zip(ae.names[:index], ae.layers[:index]):
    h = layer.apply({'params': params[name]}, h, method='encode')
  h = jax.lax.stop_gradient(h)
  out = ae.layers[index].apply({'params': params[ae.names[index]]}, corrupt(ae, h, key))
  loss_name = ae.m.loss if index == 0 else 'mse'
  return reconstruction_loss(loss_name, out.astype(jnp.float32), h).mean()


def layer_loss(ae: Autoencoder, index: int, params, model_state, batch, key, step):
  """Player `index`'s loss: end to end, or (stacked) the loss of its current stage; the
  stacked metrics are end-to-end in evaluation."""
  x = batch['x']
  if not ae.stacked:
    loss, metrics = end_to_end_loss(ae, params, x, key)
    return loss, (metrics, model_state)
  greedy = lambda: greedy_loss(ae, index, params, x, key)   # noqa: E731
  if ae.m.finetune:
    loss = jax.lax.cond(step < ae.finetune_start, greedy,
                        lambda: end_to_end_loss(ae, params, x, key)[0])
  else:
    loss = greedy()
  return loss, ({}, model_state)


def layer_active(ae: Autoencoder, index: int, step):
  """Stacked: layer `index` trains in its own stage and in the fine-tuning stage."""
  in_stage = (step >= index * ae.stage_steps) & (step < (index + 1) * ae.stage_steps)
  return in_stage | (ae.m.finetune & (step >= ae.finetune_start))


def init(ae: Autoencoder, key, batch):
  h = to_input(ae, batch['x'][:1])
  params = {}
  for i, (name, layer) in enumerate(zip(ae.names, ae.layers)):
    params[name] = layer.init(jax.random.fold_in(key, i), h)['params']
    h = layer.apply({'params': params[name]}, h, method='encode')
  return params, {}


def evaluate(ae: Autoencoder, params, model_state, batch, key):
  x, m, info = batch['x'], ae.m, ae.info
  dims, span = math.prod(x.shape[1:]), ae.high - ae.low
  output = reconstruct(ae, params, x, x.shape)
  recon = output_to_data(m.loss, output)
  out = {'loss': reconstruction_loss(m.loss, output, x),
         'mse': squared_error(recon, x) / dims}
  if info.is_image:
    out['psnr'] = psnr(recon, x, span)
  if m.corruption != 'none':
    noisy = corrupt(ae, x, key)
    denoised = output_to_data(m.loss, reconstruct(ae, params, noisy, x.shape))
    out['denoise_mse'] = squared_error(denoised, x) / dims
    if info.is_image:
      out['denoise_psnr'] = psnr(denoised, x, span)
      out['noisy_psnr'] = psnr(jnp.clip(noisy, ae.low, ae.high), x, span)
  return out


def sample(ae: Autoencoder, params, model_state, key, num, reference):
  """Decodes codes drawn from a Gaussian fitted to the codes of `reference`: a plain
  autoencoder has no prior, and this is the usual way to look at what its decoder makes."""
  codes = encode(ae, params, reference['x']).astype(jnp.float32)
  mean = codes.mean(0)
  cov = jnp.cov(codes, rowvar=False).reshape(codes.shape[1], codes.shape[1])
  cov = cov + 1e-5 * jnp.eye(codes.shape[1])
  z = jax.random.multivariate_normal(key, mean, cov, (num,), method='svd')
  return output_to_data(ae.m.loss, decode(ae, params, z, (num,) + tuple(ae.info.shape)))


def visualize(ae: Autoencoder, params, model_state, batch, key):
  if not ae.info.is_image:   # the whole batch: the scatter then traces the learned manifold
    return {'reconstruction': reconstruct_data(ae, params, batch['x'])}
  x = batch['x'][:8]
  rows = [x, reconstruct_data(ae, params, x)]
  if ae.m.corruption != 'none':
    noisy = corrupt(ae, x, key)
    rows = [x, jnp.clip(noisy, ae.low, ae.high),
            output_to_data(ae.m.loss, reconstruct(ae, params, noisy, x.shape))]
  return {'reconstruction': jnp.stack(rows)}
