"""Classifier-free guidance (Ho & Salimans, 2021).

Training drops the label with probability p, replacing it by the extra "null" class
(index num_classes), so one network learns eps(x, y) and eps(x, no label). Sampling uses
  eps~ = (1 + w) eps(x, y) - w eps(x, no label),
w = 0 being the plain conditional model; both evaluations run as one batch of 2B.
"""
from typing import Callable

import jax
import jax.numpy as jnp


def check_guidance(scale: float, num_classes: int):
  if scale < 0:
    raise ValueError(f'model.guidance_scale={scale} must be >= 0')
  if scale > 0 and num_classes == 0:
    raise ValueError(f'model.guidance_scale={scale} needs a class-conditional model '
                     '(model.class_conditional=True on a labelled dataset)')


def drop_labels(key: jax.Array, y: jax.Array, rate: float, num_classes: int) -> jax.Array:
  """Each label becomes the null class num_classes with probability `rate`."""
  return jnp.where(jax.random.bernoulli(key, rate, y.shape), num_classes, y)


def guided(fn: Callable, y: jax.Array, num_classes: int, scale: float,
           channels: int | None = None) -> Callable:
  """fn(x, t, y) -> network output  to  (x, t) -> the guided output (fn(x, t, y) when
  scale = 0). Guiding the raw output is guiding eps in every parameterization: eps_hat is
  affine in the output with coefficients that do not depend on y. Only the first `channels`
  output channels are guided (the rest, a learned variance, come from the conditional
  branch, as in GLIDE)."""
  if scale == 0:
    return lambda x, t: fn(x, t, y)

  def out(x, t):
    both = fn(jnp.concatenate([x, x]), jnp.concatenate([t, t]),
              jnp.concatenate([y, jnp.full_like(y, num_classes)]))
    cond, uncond = jnp.split(both, 2)
    mix = (1 + scale) * cond - scale * uncond
    if channels is None or channels == cond.shape[-1]:
      return mix
    return jnp.concatenate([mix[..., :channels], cond[..., channels:]], axis=-1)

  return out
