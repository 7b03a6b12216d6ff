"""The exponential moving average of the params that evaluation and sampling use, and its
warm-up.

An EMA with decay d starting from the init still holds d^n of it after n updates (0.999 for
500 steps: 0.61), so a short run samples mostly its untrained network. Two warm-ups, both
off by default (the EMA is then exactly `ema_decay * ema + (1 - ema_decay) * params`):
- `start`: the EMA copies the params for the first `start` steps (BigGAN, Brock et al. 2019:
  BigGAN-PyTorch's --ema_start, 1000 for CIFAR-10 and 20000 for ImageNet);
- `rampup`: the EMA's half-life, in steps, is at most `rampup` times the steps done
  (StyleGAN2-ADA, Karras et al. 2020, ema_rampup=0.05 in its 'cifar' and 'auto' configs).
"""
import math

import jax
import jax.numpy as jnp


def half_life(decay: float) -> float:
  """Steps after which an EMA of this decay keeps half of a value: decay^h = 1/2."""
  return math.log(0.5) / math.log(decay) if decay > 0 else 0.0


def decay_at(step, decay: float, start: int = 0, rampup: float = 0.0):
  """The decay of the update made after `step` steps (a traced int or a Python int)."""
  if not start and not rampup:
    return decay
  step = jnp.asarray(step, jnp.float32)
  out = jnp.float32(decay)
  if rampup > 0 and decay > 0:
    h = jnp.minimum(half_life(decay), rampup * step)
    out = jnp.where(h > 0, 0.5 ** (1.0 / jnp.maximum(h, 1e-8)), 0.0)
  if start > 0:
    out = jnp.where(step < start, 0.0, out)
  return out


def update(ema_params, params, decay):
  return jax.tree.map(lambda e, p: decay * e + (1.0 - decay) * p, ema_params, params)
