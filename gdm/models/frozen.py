"""A frozen component of another run (a latent diffusion model's first stage, a VQ-VAE-2's
priors' codec): restored read-only from a finished run, or built untrained from a typed
`model` section for smoke tests. Its params and state come back as host arrays, which the
loading model carries in its model state."""
import dataclasses
import functools
import os

import jax
import jax.numpy as jnp
import numpy as np

from gdm.data.source import DatasetInfo
from gdm.train.config import RunConfig
from gdm.train.model import Family
from gdm.train.restore import RestoredRun, restore_run
from gdm.train.workdir import lock_holder


def restore_finished(workdir: str, family: Family, role: str, run: RunConfig,
                     info: DatasetInfo) -> RestoredRun:
  """`restore_run`, refusing a run still training there (its lock held) and one trained on
  data prepared differently from this run's; one-line errors naming `role` and the workdir."""
  holder = lock_holder(workdir) if os.path.isdir(workdir) else None
  if holder is not None:
    raise ValueError(f'{role}={workdir!r} is still training ({holder}): a frozen component '
                     'must be finished first')
  restored = restore_run(workdir, family, role)
  if (tuple(restored.info.shape) != tuple(info.shape)
      or restored.config.data.pixels != run.data.pixels):
    raise ValueError(f'{role}={workdir!r} was trained on data of shape '
                     f'{tuple(restored.info.shape)} scaled {restored.config.data.scale!r}; '
                     f'this run has shape {tuple(info.shape)} scaled {run.data.scale!r}: set '
                     'the same data.name, data.image_size and data.scale')
  return restored


def untrained(build, init, run: RunConfig, section, info: DatasetInfo):
  """(built, params, model_state) of a family's `build` / `init` with `section` as its model,
  on this run's data, seed and compute dtype, freshly initialised."""
  built = build(dataclasses.replace(run, model=section), info)
  params, model_state = jax.jit(functools.partial(init, built))(
      jax.random.PRNGKey(run.seed), {'x': jnp.zeros((1,) + tuple(info.shape))})
  return built, params, model_state


def host_state(params, model_state) -> dict:
  """{'params', 'model_state'} as numpy arrays (what the loading model's init puts on device)."""
  return jax.tree.map(np.asarray, jax.device_get({'params': params,
                                                  'model_state': model_state}))
