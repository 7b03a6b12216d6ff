"""Latent-space tools for any model with an encoder and a decoder (VAE, autoencoder).

Pure array functions: interpolation, latent arithmetic, anomaly scores and imputation of
missing values. They take the model's encode/decode as plain callables, so they work inside
jit and for any family.
"""
from typing import Callable

import jax
import jax.numpy as jnp

from gdm.utils.captions import GridLabels

# The caption of `ranked`'s image grid.
RANKED_LABELS = GridLabels(title='ordered by score: typical first')


def lerp(z0: jax.Array, z1: jax.Array, num: int) -> jax.Array:
  """`num` points from z0 to z1 (both included) on the straight line, [num, *z0.shape]."""
  t = jnp.linspace(0.0, 1.0, num).reshape((num,) + (1,) * z0.ndim)
  return (1 - t) * z0 + t * z1


def slerp(z0: jax.Array, z1: jax.Array, num: int, eps: float = 1e-6) -> jax.Array:
  """Spherical interpolation along the last axis (White, 2016), [num, *z0.shape]: under a
  Gaussian prior, straight lines pass through the low-density region near the origin, arcs
  keep the norm typical of prior samples. Falls back to lerp for (anti)parallel endpoints."""
  t = jnp.linspace(0.0, 1.0, num).reshape((num,) + (1,) * z0.ndim)
  n0 = jnp.linalg.norm(z0, axis=-1, keepdims=True)
  n1 = jnp.linalg.norm(z1, axis=-1, keepdims=True)
  cos = jnp.sum(z0 * z1, -1, keepdims=True) / jnp.maximum(n0 * n1, eps)
  omega = jnp.arccos(jnp.clip(cos, -1.0, 1.0))
  sin = jnp.sin(omega)
  safe = jnp.abs(sin) > eps
  sin = jnp.where(safe, sin, 1.0)
  arc = (jnp.sin((1 - t) * omega) * z0 + jnp.sin(t * omega) * z1) / sin
  return jnp.where(safe, arc, lerp(z0, z1, num))


def latent_arithmetic(a: jax.Array, b: jax.Array, c: jax.Array) -> jax.Array:
  """a - b + c: e.g. ('smiling woman' - 'neutral woman') + 'neutral man'."""
  return a - b + c


def attribute_vector(z: jax.Array, has_attribute: jax.Array) -> jax.Array:
  """Mean code of examples with the attribute minus the mean of those without, [D]; add it
  to a code to add the attribute."""
  w = has_attribute.astype(z.dtype)[:, None]
  return (w * z).sum(0) / jnp.maximum(w.sum(), 1) - ((1 - w) * z).sum(0) / jnp.maximum(
      (1 - w).sum(), 1)


def anomaly_score(evaluation: dict[str, jax.Array], use: str = 'nll') -> jax.Array:
  """Per-example anomaly score from a VAE's `evaluate` output: the IWAE negative
  log-likelihood ('nll', tighter) or the negative ELBO ('elbo'); higher = more anomalous."""
  if use not in ('nll', 'elbo'):
    raise ValueError(f"unknown anomaly score {use!r}; choose one of: nll, elbo")
  return evaluation['nll'] if use == 'nll' else -evaluation['elbo']


def ranked(x: jax.Array, score: jax.Array, is_image: bool) -> dict[str, jax.Array]:
  """What an anomaly score picks out, as a picture: images ordered from the lowest score (most
  typical) to the highest ('ranked'); vectors, the quarter of the points scored highest
  ('most_anomalous')."""
  order = jnp.argsort(score)
  if is_image:
    return {'ranked': x[order]}
  return {'most_anomalous': x[order[-max(1, x.shape[0] // 4):]]}


def impute(reconstruct: Callable[[jax.Array], jax.Array], x: jax.Array, observed: jax.Array,
           num_steps: int, fill: float = 0.0) -> jax.Array:
  """Fills the entries of x where `observed` is False by iterating x <- reconstruct(x) with
  the observed entries clamped to their values (Rezende et al., 2014, Sec. 5.4, with the
  means of q and p in place of samples). Missing entries start at `fill`."""
  observed = jnp.broadcast_to(observed, x.shape)
  x0 = jnp.where(observed, x, fill)
  step = lambda _, xt: jnp.where(observed, x, reconstruct(xt))
  return jax.lax.fori_loop(0, num_steps, step, x0)
