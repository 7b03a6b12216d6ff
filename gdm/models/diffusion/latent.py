"""Latent diffusion (Rombach et al., 2022): the diffusion model learns the latents of a frozen
first stage (gdm.models.first_stage), encoded on the fly from every batch, and its samples
are decoded back to data space.

`model.autoencoder_workdir` names a finished `experiments.first_stage` run (its newest
checkpoint, EMA params), opened read-only; a missing one, one of another family, one trained
on differently prepared data, one still training (its lock held) or without a checkpoint is
a one-line error naming it, raised when the model is built (before anything compiles).
Without one, `model.untrained_autoencoder` (a first-stage `model` section) builds a freshly
initialised first stage on the run's own data: the same code path for smoke tests, and with
net='identity' (and model.latent_scale=1) pixel-space diffusion through it.

The latents are multiplied by a scale factor before diffusion (divided after sampling):
model.latent_scale, or when 0 LDM's 1 / std of the latents of the first training batch,
computed when the train state is created and kept in its model state (so it is checkpointed
with the run and a resumed run keeps it). The first stage's params ride in the model state
too, which the trainer passes through every step unchanged: they stay bit-identical.
"""
import dataclasses
from typing import Any

import jax
import jax.numpy as jnp

from gdm.data.source import DatasetInfo
from gdm.metrics.image import psnr, ssim
from gdm.models import first_stage, frozen
from gdm.models.first_stage import family as stage_lib
from gdm.train.config import RunConfig

ROLE = 'model.autoencoder_workdir'
POSTERIOR_KEY = 101             # fold_in tag of a batch's posterior draw (keeps other keys)


@dataclasses.dataclass(frozen=True, eq=False)   # compared by identity: it holds arrays
class LatentSpace:
  stage: stage_lib.FirstStage
  state: Any                    # {'params', 'model_state'} of the first stage: host arrays
  scale: float                  # model.latent_scale; 0 = from the data at init

  @property
  def shape(self) -> tuple[int, int, int]:
    return self.stage.latent_shape

  def info(self, data: DatasetInfo) -> DatasetInfo:
    """What the diffusion process models: the latents, labelled as the data are."""
    return dataclasses.replace(data, name=f'{data.name} latents', shape=self.shape)


def load(run: RunConfig, info: DatasetInfo) -> LatentSpace | None:
  """The latent space `run.model` asks for; None for diffusion in data space."""
  m = run.model
  if m.autoencoder_workdir:
    restored = frozen.restore_finished(m.autoencoder_workdir, first_stage.FAMILY, ROLE, run,
                                       info)
    stage = stage_lib.build(restored.config, restored.info)
    params, model_state = restored.params, restored.model_state
  elif m.untrained_autoencoder is not None:
    stage, params, model_state = frozen.untrained(stage_lib.build, stage_lib.init, run,
                                                  m.untrained_autoencoder, info)
  else:
    return None
  # The discriminator (if any) is not needed to encode or decode.
  return LatentSpace(stage, frozen.host_state({'model': params['model']}, model_state),
                     m.latent_scale)


def encode(space: LatentSpace, ae, x, key):
  """Prepared data -> unscaled latents; `ae` is the first stage's {'params', 'model_state'}."""
  return stage_lib.encode(space.stage, ae['params'], ae['model_state'], x, key)


def init_state(space: LatentSpace, x, key) -> dict:
  """The model state's 'latent' entry: the frozen first stage and the scale factor (1 / std
  of the latents of x when model.latent_scale is 0)."""
  ae = jax.tree.map(jnp.asarray, space.state)
  if space.scale > 0:
    scale = jnp.float32(space.scale)
  else:
    scale = 1.0 / jnp.std(encode(space, ae, x.astype(jnp.float32), key))
  return {'autoencoder': ae, 'scale': scale}


def to_latent(space: LatentSpace, state, x, key):
  """Prepared data -> scaled latents (what the process diffuses); key: fold_in'd here."""
  z = encode(space, state['autoencoder'], x.astype(jnp.float32),
             jax.random.fold_in(key, POSTERIOR_KEY))
  return z * state['scale']


def to_data(space: LatentSpace, state, z):
  """Scaled latents -> data space."""
  ae = state['autoencoder']
  return stage_lib.decode(space.stage, ae['params'], ae['model_state'], z / state['scale'])


def reconstruct(space: LatentSpace, state, x, key):
  return to_data(space, state, to_latent(space, state, x, key))


def first_stage_metrics(space: LatentSpace, state, x, key) -> dict:
  """Per-example reconstruction quality of the frozen first stage on x, and the scale."""
  x = x.astype(jnp.float32)
  out = {'latent_scale': jnp.full((x.shape[0],), state['scale'], jnp.float32)}
  if not space.stage.info.is_image:      # the identity first stage of vector data
    return out
  x_hat = reconstruct(space, state, x, key)
  width = space.stage.value_range
  out['first_stage_psnr'] = psnr(x_hat, x, width)
  if min(x.shape[1:3]) >= stage_lib.SSIM_MIN_SIZE:
    out['first_stage_ssim'] = ssim(x_hat, x, width)
  return out
