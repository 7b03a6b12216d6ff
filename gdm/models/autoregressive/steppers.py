"""Steppers: what sampling.complete asks for the head's parameters at each step.

`Recompute` runs the whole network on the canvas (today's reference: one full forward pass
per step). The cached steppers give the same outputs for a fraction of the work:
  RowCache  causal convolutions (PixelCNN, Gated PixelCNN, PixelCNN++): every layer
            computes only the current image row, the rows above cached
            (gdm/nn/row_cache.py), W positions per layer and step instead of H x W;
  KVCache   the transformer: one token per step against cached keys and values.
`start(canvas, first)` readies the cache for a loop that begins at step `first` (completion
from an observed prefix starts at its end): the rows above it, or every token's keys and
values from one full pass. Each takes the net (nets.py) with its params and class input;
`to_input` maps a canvas to the net's input (one-hot codes for a VQ-VAE prior).
"""
import dataclasses
from typing import Any, Callable

import jax.numpy as jnp
import numpy as np


def _at(order, t):
  return t if order is None else jnp.asarray(order, jnp.int32)[t]


@dataclasses.dataclass(frozen=True, eq=False)
class Recompute:
  out_fn: Callable            # canvas -> [N, H, W, C, P] (element-wise) or [N, H, W, P]
  order: np.ndarray | None = None

  def start(self, canvas, first: int):
    del canvas, first
    return ()

  def step(self, state, canvas, t):
    out = self.out_fn(canvas)
    out = out.reshape(out.shape[0], -1, out.shape[-1])
    return out[:, _at(self.order, t)], state


@dataclasses.dataclass(frozen=True, eq=False)
class RowCache:
  net: Any                    # nets.RowNet
  params: Any
  cond: Any
  to_input: Callable
  order = None                # raster

  def start(self, canvas, first: int):
    per_row = canvas.shape[2] * (1 if self.net.pixel_wise else canvas.shape[3])
    return self.net.prime(self.params, self.to_input(canvas), self.cond, first // per_row)

  def step(self, cache, canvas, t):
    w, c = canvas.shape[2], canvas.shape[3]
    per_pixel = 1 if self.net.pixel_wise else c          # steps per pixel
    pixel = t // per_pixel
    out, cache = self.net.row(self.params, cache, self.to_input(canvas), self.cond, pixel // w)
    out = jnp.take(out, pixel % w, axis=1)               # [N, C, P] or [N, P]
    return (out if self.net.pixel_wise else jnp.take(out, t % c, axis=1)), cache


@dataclasses.dataclass(frozen=True, eq=False)
class KVCache:
  net: Any                    # nets.TransformerNet
  params: Any
  cond: Any
  to_input: Callable

  @property
  def order(self):
    return self.net.order

  def start(self, canvas, first: int):
    del first
    return self.net.prime(self.params, self.to_input(canvas), self.cond)

  def step(self, cache, canvas, t):
    x = self.to_input(canvas)
    tokens = x.reshape(x.shape[0], self.net.order.size, -1)        # raster order
    prev = jnp.take(tokens, _at(self.net.order, jnp.maximum(t - 1, 0)), axis=1)
    return self.net.decode(self.params, cache, prev, t, self.cond)
