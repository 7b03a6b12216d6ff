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
import functools
import os
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from gdm.data.source import DatasetInfo
from gdm.metrics.image import psnr, ssim
from gdm.models import first_stage
from gdm.models.first_stage import family as stage_lib
from gdm.train.config import RunConfig
from gdm.train.restore import restore_run
from gdm.train.workdir import lock_holder

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


def _trained(workdir: str, run: RunConfig, info: DatasetInfo):
  holder = lock_holder(workdir) if os.path.isdir(workdir) else None
  if holder is not None:
    raise ValueError(f'{ROLE}={workdir!r} is still training ({holder}): latent diffusion needs '
                     'a finished, frozen first stage')
  stage = restore_run(workdir, first_stage.FAMILY, ROLE)
  if (tuple(stage.info.shape) != tuple(info.shape)
      or stage.config.data.pixels != run.data.pixels):
    raise ValueError(f'{ROLE}={workdir!r} was trained on data of shape '
                     f'{tuple(stage.info.shape)} scaled {stage.config.data.scale!r}; this run '
                     f'has shape {tuple(info.shape)} scaled {run.data.scale!r}: set the same '
                     'data.name, data.image_size and data.scale')
  return (stage_lib.build(stage.config, stage.info), {'model': stage.params['model']},
          stage.model_state)


def _untrained(run: RunConfig, info: DatasetInfo):
  """A first stage with the `model.untrained_autoencoder` section, on this run's data."""
  stage_run = dataclasses.replace(run, model=run.model.untrained_autoencoder)
  stage = stage_lib.build(stage_run, info)
  params, model_state = jax.jit(functools.partial(stage_lib.init, stage))(
      jax.random.PRNGKey(run.seed), {'x': jnp.zeros((1,) + tuple(info.shape))})
  return stage, {'model': params['model']}, model_state


def load(run: RunConfig, info: DatasetInfo) -> LatentSpace | None:
  """The latent space `run.model` asks for; None for diffusion in data space."""
  m = run.model
  if m.autoencoder_workdir:
    stage, params, model_state = _trained(m.autoencoder_workdir, run, info)
  elif m.untrained_autoencoder is not None:
    stage, params, model_state = _untrained(run, info)
  else:
    return None
  state = jax.tree.map(np.asarray, jax.device_get({'params': params,
                                                   'model_state': model_state}))
  return LatentSpace(stage, state, m.latent_scale)


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
  x_hat = reconstruct(space, state, x, key)
  width = space.stage.value_range
  out = {'first_stage_psnr': psnr(x_hat, x, width),
         'latent_scale': jnp.full((x.shape[0],), state['scale'], jnp.float32)}
  if min(x.shape[1:3]) >= stage_lib.SSIM_MIN_SIZE:
    out['first_stage_ssim'] = ssim(x_hat, x, width)
  return out
