"""The code space of a VQ-VAE, for a prior over its code maps (van den Oord et al., 2017,
section 3.2): the frozen encoder turns images into integer code maps [B, h, w] (the prior's
training data) and the frozen decoder turns sampled code maps into images.

`model.vqvae_workdir` names a trained `experiments.vqvae` run (its newest checkpoint, EMA
params), opened read-only. Without one, `model.untrained_vqvae` (a VQ-VAE `model` section)
builds a freshly initialised VQ-VAE on the prior's own data instead: the same code path with
an untrained codec, for smoke tests only.
"""
import dataclasses
import functools
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from gdm.data.source import DatasetInfo
from gdm.models import vqvae
from gdm.models.vqvae import family as codec_lib
from gdm.train.config import RunConfig
from gdm.train.restore import restore_run


@dataclasses.dataclass(frozen=True, eq=False)   # compared by identity: it holds arrays
class CodeSpace:
  codec: codec_lib.VQVAE
  code_shape: tuple[int, int]
  state: Any                    # {'params', 'model_state'} of the codec: host arrays

  @property
  def num_codes(self) -> int:
    return self.codec.m.num_codes


def encode(space: CodeSpace, state, x):
  """Prepared images -> integer code maps [B, h, w]; `state` as CodeSpace.state."""
  return codec_lib.codes_of(space.codec, state['params'], state['model_state'], x)


def decode(space: CodeSpace, state, codes):
  """Integer code maps [B, h, w] -> images."""
  return codec_lib.decode_codes(space.codec, state['params'], state['model_state'], codes)


def _trained(workdir: str, run: RunConfig, info: DatasetInfo):
  codec = restore_run(workdir, vqvae.FAMILY, 'model.vqvae_workdir')
  if tuple(codec.info.shape) != tuple(info.shape) or codec.config.data.pixels != run.data.pixels:
    raise ValueError(f'the prior\'s data (shape {tuple(info.shape)}, scale '
                     f'{run.data.scale!r}) must be prepared like the VQ-VAE\'s (shape '
                     f'{tuple(codec.info.shape)}, scale {codec.config.data.scale!r}): set the '
                     f'same data.name, data.image_size and data.scale')
  return codec_lib.build(codec.config, codec.info), codec.params, codec.model_state


def _untrained(run: RunConfig, info: DatasetInfo):
  """A VQ-VAE with the `model.untrained_vqvae` section, on this run's data and dtype."""
  codec_run = RunConfig(seed=run.seed, data=run.data, train=run.train, eval=run.eval,
                        sample=run.sample, model=run.model.untrained_vqvae)
  codec = codec_lib.build(codec_run, info)
  params, model_state = jax.jit(functools.partial(codec_lib.init, codec))(
      jax.random.PRNGKey(run.seed), {'x': jnp.zeros((1,) + tuple(info.shape))})
  return codec, params, model_state


def load(run: RunConfig, info: DatasetInfo) -> CodeSpace | None:
  """The code space `run.model` asks for; None for a model of the data itself."""
  m = run.model
  if m.vqvae_workdir:
    codec, params, model_state = _trained(m.vqvae_workdir, run, info)
  elif m.untrained_vqvae is not None:
    codec, params, model_state = _untrained(run, info)
  else:
    return None
  state = jax.device_get({'params': params, 'model_state': model_state})
  space = CodeSpace(codec, (0, 0), state)
  codes = jax.eval_shape(functools.partial(encode, space), state,
                         jnp.zeros((1,) + tuple(info.shape)))
  return dataclasses.replace(space, code_shape=tuple(codes.shape[1:]),
                             state=jax.tree.map(np.asarray, state))
