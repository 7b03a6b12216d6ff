"""Reconstruction losses, one value per example, reduced in float32.

Per-example sums make `mse` the Gaussian negative log-likelihood up to a constant and
`bce` the exact Bernoulli negative log-likelihood in nats.
"""
import jax
import jax.numpy as jnp

from gdm.utils.checks import check_choice

RECONSTRUCTION_LOSSES = ('mse', 'bce')


def _per_example_sum(x: jax.Array) -> jax.Array:
  return x.reshape(x.shape[0], -1).sum(axis=1)


def squared_error(x_hat: jax.Array, x: jax.Array) -> jax.Array:
  """sum_i (x_hat_i - x_i)^2 per example."""
  d = x_hat.astype(jnp.float32) - x.astype(jnp.float32)
  return _per_example_sum(d * d)


def absolute_error(x_hat: jax.Array, x: jax.Array) -> jax.Array:
  """sum_i |x_hat_i - x_i| per example (the L1 loss of LDM's first stages)."""
  return _per_example_sum(jnp.abs(x_hat.astype(jnp.float32) - x.astype(jnp.float32)))


def bernoulli_nll(logits: jax.Array, x: jax.Array) -> jax.Array:
  """-sum_i [x_i log sigmoid(l_i) + (1 - x_i) log sigmoid(-l_i)] per example, x in [0, 1]."""
  logits, x = logits.astype(jnp.float32), x.astype(jnp.float32)
  return _per_example_sum(jax.nn.softplus(logits) - x * logits)


def reconstruction_loss(name: str, output: jax.Array, x: jax.Array) -> jax.Array:
  check_choice(name, RECONSTRUCTION_LOSSES, 'reconstruction loss')
  return squared_error(output, x) if name == 'mse' else bernoulli_nll(output, x)


def output_to_data(name: str, output: jax.Array) -> jax.Array:
  """Decoder output -> a point in data space (the Bernoulli mean for bce)."""
  return jax.nn.sigmoid(output) if name == 'bce' else output
