"""Drawing audio from a WaveNet, sample by sample: the fast sampler with per-layer queues
(Paine et al., 2016) and the naive one that reruns the whole network for every sample.

Both fill positions t >= lengths[n] of a canvas [N, T] of mu-law levels (a continuation
keeps the given prefix) and draw position t from the head with jax.random.fold_in(key, t):
the naive sampler is the autoregressive family's recomputing loop
(gdm/models/autoregressive/sampling.py) on the clip as a 1 x T grid, and the fast one makes
the same draws from the same outputs, so for the same key both give the same samples. The
naive sampler costs T full passes (O(T^2) work), the fast one T single steps through every
layer (O(T)).
"""
import functools

import jax
import jax.numpy as jnp
import numpy as np

from gdm.data import mu_law
from gdm.models.autoregressive import sampling as recompute
from gdm.models.autoregressive.steppers import Recompute
from gdm.nn.wavenet import WaveNet


def net_input(levels: jax.Array, width: int) -> jax.Array:
  """Mu-law levels [...] -> the network's input [..., width]: one-hot codes (width 256), or
  the level itself as one scalar channel (width 1, `model.wavenet.input='scalar'`)."""
  if width == 1:
    return levels[..., None].astype(jnp.float32)
  return jax.nn.one_hot(mu_law.code_of_level(levels), width)


def fast(net: WaveNet, head, params, cond, key, canvas: jax.Array,
         lengths: np.ndarray) -> jax.Array:
  """One WaveNet step per position, the queues carrying every layer's past inputs."""
  n, length = canvas.shape
  given = jnp.asarray(np.asarray(lengths), jnp.int32)
  variables = {'params': params}

  def body(t, carry):
    values, queues = carry
    prev = jax.lax.dynamic_index_in_dim(values, jnp.maximum(t - 1, 0), 1, False)
    out, queues = net.apply(variables, net_input(prev, net.num_values), cond, queues, t,
                            method=WaveNet.step)
    drawn = head.sample(jax.random.fold_in(key, t), out).reshape(n)
    old = jax.lax.dynamic_index_in_dim(values, t, 1, False)
    new = jnp.where(t < given, old, drawn)
    return jax.lax.dynamic_update_index_in_dim(values, new, t, 1), queues

  values, _ = jax.lax.fori_loop(0, length, body, (canvas.astype(jnp.float32), net.queues(n)))
  return values


def _grid_outputs(net: WaveNet, head, params, cond, grid):
  """The recomputing loop's out_fn: grid [N, 1, T, 1] -> the head's outputs on it."""
  out = net.apply({'params': params}, net_input(grid[:, 0, :, 0], net.num_values), cond)
  shape = grid.shape[:3] if head.pixel_wise else grid.shape
  return out.reshape(shape + out.shape[-1:])


def naive(net: WaveNet, head, params, cond, key, canvas: jax.Array,
          lengths: np.ndarray) -> jax.Array:
  """The whole network on the whole canvas for every position."""
  out_fn = functools.partial(_grid_outputs, net, head, params, cond)
  grid = recompute.complete(Recompute(out_fn), head, key, canvas[:, None, :, None], lengths)
  return grid[:, 0, :, 0]


# model.sampler -> sampler(net, head, params, cond, key, canvas [N, T], lengths [N]) -> [N, T]
SAMPLERS = {'fast': fast, 'naive': naive}
