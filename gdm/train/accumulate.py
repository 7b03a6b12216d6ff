"""Gradient accumulation (`train.grad_accum`): an update's gradient as the mean over n equal
slices of its batch, computed one slice after another in a `lax.scan`, so activations of
only batch / n examples are alive at a time (BigGAN's large batches on small devices).

For a loss that averages independent per-example terms the mean of the slices' gradients is
the whole batch's gradient. Losses with batch statistics (batch norm, minibatch stddev) see
each slice's statistics, as in BigGAN's own accumulation. Slice i holds examples i, i + n,
i + 2n, ... so that every slice is spread over the devices like the batch. Each slice gets
its own key (fold_in(key, i)) and the model state (e.g. spectral norm's power iterations)
passes from slice to slice; metrics are the slices' means. n = 1 is exactly the plain
`jax.value_and_grad` call, unchanged.
"""
from typing import Callable

import jax
import jax.numpy as jnp


def split(batch: dict, n: int) -> dict:
  """Leaves [B, ...] -> [n, B / n, ...], slice i the examples i, i + n, i + 2n, ..."""
  return jax.tree.map(lambda x: x.reshape((x.shape[0] // n, n) + x.shape[1:]).swapaxes(0, 1),
                      batch)


def value_and_grad(loss_fn: Callable, params, model_state, batch: dict, key, n: int):
  """((loss, (metrics, model_state)), grads) of loss_fn(params, model_state, batch, key) ->
  (loss, (metrics, model_state)), averaged over n slices of the batch."""
  grad_fn = jax.value_and_grad(loss_fn, has_aux=True)
  if n == 1:
    return grad_fn(params, model_state, batch, key)
  slices = split(batch, n)

  def add(a, b):
    return jax.tree.map(jnp.add, a, b)

  def body(carry, inputs):
    loss_sum, metric_sum, state, grad_sum = carry
    b, i = inputs
    (loss, (metrics, state)), grads = grad_fn(params, state, b, jax.random.fold_in(key, i))
    return (loss_sum + loss, add(metric_sum, metrics), state, add(grad_sum, grads)), None

  shapes = jax.eval_shape(grad_fn, params, model_state, jax.tree.map(lambda x: x[0], slices),
                          key)
  zeros = jax.tree.map(lambda s: jnp.zeros(s.shape, s.dtype), shapes)
  (loss_zero, (metric_zero, _)), grad_zero = zeros
  carry = (loss_zero, metric_zero, model_state, grad_zero)
  loss, metrics, state, grads = jax.lax.scan(body, carry, (slices, jnp.arange(n)))[0]
  mean = lambda tree: jax.tree.map(lambda v: v / n, tree)  # noqa: E731
  return (loss / n, (mean(metrics), state)), mean(grads)
