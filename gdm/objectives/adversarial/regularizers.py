"""Regularisers of the discriminator: the WGAN-GP gradient penalty on random interpolates of
real and fake (Gulrajani et al., 2017), the R1 penalty on real data (Mescheder et al., 2018),
and weight clipping of the critic (Arjovsky et al., 2017).

The penalties are regulariser terms: term(critic, real, fake, key, weight) -> (the loss's
added term, {metric name: unweighted mean penalty}), `critic` mapping inputs to scores [B].
Weight clipping is no loss term but a projection after each update: an optax transform.
"""
from typing import Callable

import jax
import jax.numpy as jnp
import optax


def input_gradients(critic: Callable[[jax.Array], jax.Array], x: jax.Array) -> jax.Array:
  """d critic(x)_i / d x_i for every example. The gradient of the sum is the per-example
  gradient because the critic treats examples independently (no batch statistics)."""
  return jax.grad(lambda v: critic(v).sum())(x)


def _squared_norms(g: jax.Array) -> jax.Array:
  return jnp.sum(g.reshape(g.shape[0], -1).astype(jnp.float32) ** 2, axis=1)


def interpolate(real: jax.Array, fake: jax.Array, key: jax.Array) -> jax.Array:
  """eps * real + (1 - eps) * fake with one eps ~ U[0, 1] per example."""
  eps = jax.random.uniform(key, (real.shape[0],) + (1,) * (real.ndim - 1), real.dtype)
  return eps * real + (1.0 - eps) * fake


def gradient_penalty(critic: Callable, real: jax.Array, fake: jax.Array,
                     key: jax.Array) -> jax.Array:
  """Per-example (||grad critic(x_hat)|| - 1)^2 at x_hat = interpolate(real, fake, key); the
  WGAN-GP loss adds lambda times its mean (lambda = 10 in the paper)."""
  g = input_gradients(critic, interpolate(real, fake, key))
  # sqrt(s + tiny): finite gradient even where the critic is flat (s = 0).
  return (jnp.sqrt(_squared_norms(g) + 1e-12) - 1.0) ** 2


def r1_penalty(critic: Callable, real: jax.Array) -> jax.Array:
  """Per-example ||grad critic(x)||^2 on real data; the loss adds gamma / 2 times its mean."""
  return _squared_norms(input_gradients(critic, real))


def gradient_penalty_term(critic, real, fake, key, weight: float):
  penalty = gradient_penalty(critic, real, fake, key).mean()
  return weight * penalty, {'gradient_penalty': penalty}


def r1_term(critic, real, fake, key, weight: float):
  del fake, key
  penalty = r1_penalty(critic, real).mean()
  return 0.5 * weight * penalty, {'r1_penalty': penalty}


def clip_weights(limit: float) -> optax.GradientTransformation:
  """Makes every updated parameter land in [-limit, limit] (WGAN's critic clipping). Chain
  it last: it turns the update into (clip(params + update) - params)."""

  def update(updates, state, params=None):
    if params is None:
      raise ValueError('clip_weights needs the params')
    new = jax.tree.map(lambda p, u: jnp.clip(p + u, -limit, limit) - p, params, updates)
    return new, state

  return optax.GradientTransformation(lambda params: optax.EmptyState(), update)
