"""An LDM-style first stage (Rombach et al., 2022, sec. 3; Esser et al., 2021): a conv
autoencoder whose spatial latents a diffusion model learns (gdm.models.diffusion with
model.autoencoder_workdir).

Loss per example: reconstruction (L1 or L2, summed over the pixels) + the regulariser's
penalty (a small-weight KL, or the VQ commitment term with an EMA codebook) and, with
model.adversarial.weight > 0 from model.adversarial.start_step on, weight times the
generator's GAN loss on a PatchGAN's scores of the reconstruction (mean over patches). The
discriminator is then a second player trained on data vs reconstructions with the same loss
pair (gdm.objectives.adversarial). There is no perceptual (LPIPS) term: it needs pretrained
VGG weights, and without it the default trains on a laptop CPU.

Evaluation reports the reconstruction's loss, mse, psnr and (images of 11 pixels or more)
ssim, the regulariser's terms, and the latents' per-example mean and mean square (the latent
diffusion model rescales them to unit variance). `sample` decodes Gaussian latents with the
reference batch's per-channel statistics: a look at the decoder, not a generative model.

Every function here takes the `FirstStage` that `build` makes once from the config.
"""
import dataclasses
import math
from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.data.preprocess import data_range
from gdm.data.source import DatasetInfo
from gdm.metrics.image import psnr, ssim
from gdm.models.first_stage.config import FirstStageConfig, check
from gdm.models.first_stage.nets import build_discriminator, build_networks
from gdm.models.first_stage.regularizers import REGULARIZERS
from gdm.objectives import adversarial
from gdm.objectives.adversarial.pair import LossPair
from gdm.objectives.reconstruction import absolute_error, squared_error
from gdm.train.config import RunConfig

SSIM_MIN_SIZE = 11              # gdm.metrics.image.ssim's Gaussian window


@dataclasses.dataclass(frozen=True)
class FirstStage:
  """What every function of the family needs, built once from the config."""
  m: FirstStageConfig
  info: DatasetInfo
  encoder: nn.Module
  decoder: nn.Module
  regularizer: Any              # a REGULARIZERS entry, built
  discriminator: nn.Module | None
  gan: LossPair | None
  value_range: float            # width of the prepared data's range (psnr, ssim)

  @property
  def latent_shape(self) -> tuple[int, int, int]:
    if self.m.net == 'identity':
      return tuple(self.info.shape)
    f = 2 ** len(self.m.channels)
    return (self.info.shape[0] // f, self.info.shape[1] // f, self.m.z_channels)


def build(run: RunConfig, info: DatasetInfo) -> FirstStage:
  m = run.model
  check(m, info)
  dtype = jnp.dtype(run.train.compute_dtype)
  regularizer = REGULARIZERS[m.regularizer](m.regularizer_settings)
  encoder, decoder = build_networks(m, info, regularizer.encoder_channels(m.z_channels), dtype)
  return FirstStage(m=m, info=info, encoder=encoder, decoder=decoder, regularizer=regularizer,
                    discriminator=build_discriminator(m, dtype),
                    gan=adversarial.loss_pair(m.adversarial.loss) if m.adversarial.on else None,
                    value_range=data_range(run.data.pixels, info))


def encoder_output(fs: FirstStage, params, x):
  return fs.encoder.apply({'params': params['model'].get('encoder', {})}, x).astype(jnp.float32)


def decoder_output(fs: FirstStage, params, z):
  return fs.decoder.apply({'params': params['model'].get('decoder', {})}, z).astype(
      jnp.float32)


def decode(fs: FirstStage, params, model_state, z):
  """Latents [B, h, w, z] -> data space."""
  return decoder_output(fs, params, fs.regularizer.to_decoder(z, model_state))


def encode(fs: FirstStage, params, model_state, x, key):
  """Prepared data -> the latents a diffusion model learns (`key`: a posterior draw)."""
  return fs.regularizer.latent(encoder_output(fs, params, x), key, model_state)


def reconstruct(fs: FirstStage, params, model_state, x, key):
  return decode(fs, params, model_state, encode(fs, params, model_state, x, key))


def reconstruction_error(fs: FirstStage, x_hat, x):
  return absolute_error(x_hat, x) if fs.m.reconstruction == 'l1' else squared_error(x_hat, x)


def autoencode(fs: FirstStage, params, model_state, x, key, update: bool):
  """(reconstruction, per-example reconstruction error and penalty, metrics, state)."""
  z, penalty, metrics, model_state = fs.regularizer.train(
      encoder_output(fs, params, x), key, model_state, update)
  x_hat = decoder_output(fs, params, z)
  return x_hat, reconstruction_error(fs, x_hat, x), penalty, metrics, model_state


def patch_scores(fs: FirstStage, params, x):
  """The discriminator's logits, flattened: [B * patches] (each patch an example)."""
  return fs.discriminator.apply({'params': params['discriminator']}, x).reshape(-1)


def per_image(scores, batch: int):
  return scores.reshape(batch, -1).mean(1)


def adversarial_on(fs: FirstStage, step):
  return step >= fs.m.adversarial.start_step


def loss(fs: FirstStage, params, model_state, batch, key, step):
  x = batch['x']
  x_hat, recon, penalty, metrics, model_state = autoencode(fs, params, model_state, x, key,
                                                           True)
  total = recon + penalty
  out = {k: v.mean() for k, v in metrics.items()}
  out.update(reconstruction=recon.mean(), mse=jnp.mean(jnp.square(x_hat - x)))
  if fs.gan is not None:
    real = patch_scores(fs, params, x) if fs.gan.g_uses_real else None
    g = per_image(fs.gan.g_loss(real, patch_scores(fs, params, x_hat)), x.shape[0])
    factor = jnp.where(adversarial_on(fs, step), fs.m.adversarial.weight, 0.0)
    total = total + factor * g
    out['g_loss'] = g.mean()
  return total.mean(), (out, model_state)


def discriminator_loss(fs: FirstStage, params, model_state, batch, key, step):
  del step
  x = batch['x']
  x_hat, *_ = autoencode(fs, params, model_state, x, key, False)
  real = patch_scores(fs, params, x)
  fake = patch_scores(fs, params, jax.lax.stop_gradient(x_hat))
  d = per_image(fs.gan.d_loss(real, fake), x.shape[0])
  return d.mean(), ({'real_score': real.mean(), 'fake_score': fake.mean()}, model_state)


def evaluate(fs: FirstStage, params, model_state, batch, key):
  x = batch['x']
  k_train, k_latent = jax.random.split(key)
  x_hat, recon, penalty, metrics, _ = autoencode(fs, params, model_state, x, k_train, False)
  z = encode(fs, params, model_state, x, k_latent)
  flat = z.reshape(z.shape[0], -1)
  out = {'loss': recon + penalty, 'reconstruction': recon,
         'mse': squared_error(x_hat, x) / math.prod(fs.info.shape),
         'psnr': psnr(x_hat, x, fs.value_range), **metrics,
         'latent_mean': flat.mean(1), 'latent_sq': (flat * flat).mean(1)}
  if min(fs.info.shape[:2]) >= SSIM_MIN_SIZE:
    out['ssim'] = ssim(x_hat, x, fs.value_range)
  return out


def sample(fs: FirstStage, params, model_state, key, num, reference):
  """Gaussian latents with the reference batch's per-channel mean and std, decoded."""
  k_ref, k_draw = jax.random.split(key)
  z = encode(fs, params, model_state, reference['x'], k_ref)
  mean, std = z.mean((0, 1, 2)), z.std((0, 1, 2))
  shape = (num,) + z.shape[1:]
  eps = jax.random.normal(k_draw, (math.prod(shape),)).reshape(shape)
  return decode(fs, params, model_state, mean + std * eps)


def visualize(fs: FirstStage, params, model_state, batch, key):
  x = batch['x'][:8]
  return {'reconstruction': jnp.stack([x, reconstruct(fs, params, model_state, x, key)])}


def init(fs: FirstStage, key, batch):
  k_enc, k_dec, k_reg, k_disc = jax.random.split(key, 4)
  x = batch['x'][:1].astype(jnp.float32)
  enc = fs.encoder.init(k_enc, x).get('params', {})
  h = jax.eval_shape(lambda: fs.encoder.apply({'params': enc}, x))
  z = jnp.zeros(h.shape[:-1] + (fs.m.z_channels if fs.m.net == 'conv' else h.shape[-1],))
  dec = fs.decoder.init(k_dec, z).get('params', {})
  params = {'model': {'encoder': enc, 'decoder': dec}}
  if fs.discriminator is not None:
    params['discriminator'] = fs.discriminator.init(k_disc, x)['params']
  return params, fs.regularizer.init_state(k_reg, z.shape[-1])
