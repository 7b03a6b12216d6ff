"""The code space of a VQ-VAE, for a prior over its code maps (van den Oord et al., 2017,
section 3.2): the frozen encoder turns images into integer code maps [B, h, w] (the prior's
training data) and the frozen decoder turns sampled code maps into images.

`model.vqvae_workdir` names a trained `experiments.vqvae` run (its newest checkpoint, EMA
params). With an empty workdir, `model.vqvae_config` (e.g. 'vqvae/digits.py:smoke') builds a
freshly initialised VQ-VAE instead: the same code path with an untrained codec, for smoke
tests only.
"""
import dataclasses
import importlib
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from gdm.models import vqvae
from gdm.train.config import parse_run
from gdm.train.restore import restore_run


@dataclasses.dataclass(frozen=True)
class CodeSpace:
  num_codes: int
  code_shape: tuple[int, int]
  state: Any                                    # {'params', 'model_state'}: host arrays
  encode: Callable[[Any, jax.Array], jax.Array]   # (state, x) -> codes [B, h, w] int32
  decode: Callable[[Any, jax.Array], jax.Array]   # (state, codes) -> images


def _config_from_path(spec: str):
  path, _, variant = spec.partition(':')
  module = path[:-3] if path.endswith('.py') else path
  try:
    lib = importlib.import_module('experiments.configs.' + module.replace('/', '.'))
  except ImportError:
    raise ValueError(f'model.vqvae_config={spec!r} is not a config under '
                     f'experiments/configs/ (e.g. vqvae/digits.py:smoke)') from None
  return lib.get_config(variant)


def _trained(workdir: str):
  codec = restore_run(workdir, vqvae.FAMILY, 'model.vqvae_workdir')
  return codec.config, codec.info, codec.params, codec.model_state


def load(m, data_config, info, seed: int) -> CodeSpace:
  if m.vqvae_workdir:
    vq_config, vq_info, params, model_state = _trained(m.vqvae_workdir)
  elif m.vqvae_config:
    vq_config, vq_info = parse_run(_config_from_path(m.vqvae_config), vqvae.FAMILY.config), info
    vq_model = vqvae.make(vq_config, info)
    params, model_state = jax.jit(vq_model.init)(
        jax.random.PRNGKey(seed), {'x': jnp.zeros((1,) + tuple(info.shape))})
  else:
    raise ValueError('a prior over VQ-VAE codes needs model.vqvae_workdir (a trained '
                     'experiments.vqvae run)')
  if tuple(vq_info.shape) != tuple(info.shape) or any(
      getattr(vq_config.data, k) != getattr(data_config, k) for k in ('scale', 'binarize', 'dequantize')):
    raise ValueError(f'the prior\'s data (shape {tuple(info.shape)}, scale '
                     f'{data_config.scale!r}) must be prepared like the VQ-VAE\'s (shape '
                     f'{tuple(vq_info.shape)}, scale {vq_config.data.scale!r}): set the same '
                     f'data.name, data.image_size and data.scale')
  vq_model = vqvae.make(vq_config, vq_info)
  vm = vq_config.model
  _, decoder = vqvae.build_networks(vm, vq_info, jnp.dtype(vq_config.train.compute_dtype))
  state = jax.device_get({'params': params, 'model_state': model_state})

  def encode(state, x):
    return vq_model.modes['codes'](state['params'], state['model_state'], {'x': x},
                                   None)['codes']

  def decode(state, codes):
    codebook = (state['model_state']['quantizer']['codebook'] if vm.ema_codebook
                else state['params']['model']['codebook'])
    z_q = jnp.asarray(codebook)[codes]
    return decoder.apply({'params': state['params']['model']['decoder']},
                         z_q).astype(jnp.float32)

  codes = jax.eval_shape(encode, state, jnp.zeros((1,) + tuple(info.shape)))
  return CodeSpace(vm.num_codes, tuple(codes.shape[1:]),
                   jax.tree.map(np.asarray, state), encode, decode)
