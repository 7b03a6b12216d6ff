"""Annealed Langevin dynamics over noise levels (NCSN, Song & Ermon, 2019):
score_fn(x, i) -> score, i an index into `sigmas`, largest first. The step size is
lr sigma_i^2 / sigma_L^2, and the final denoising step x + sigma_L^2 s(x, sigma_L) follows
Song & Ermon (2020). `run_langevin` is its SAMPLERS entry: it reads the process's `sigmas`.
"""
from typing import Callable

import jax
import jax.numpy as jnp

from gdm.utils.schema import require, section


@section
class LangevinOptions:
  steps: int = 100              # per sigma
  lr: float = 2e-5              # step size at the smallest sigma

  def __post_init__(self):
    require(self.steps >= 1, 'steps', self.steps, 'must be >= 1')
    require(self.lr > 0, 'lr', self.lr, 'must be > 0')


def annealed_langevin(key: jax.Array, score_fn: Callable, sigmas: jax.Array, x_init: jax.Array,
                      steps_per_sigma: int, step_lr: float, denoise: bool = True) -> jax.Array:
  sigmas = jnp.asarray(sigmas, jnp.float32)

  def level(x, inp):
    i, key = inp
    alpha = step_lr * (sigmas[i] / sigmas[-1]) ** 2
    ib = jnp.full((x.shape[0],), i, jnp.int32)

    def step(j, x):
      noise = jax.random.normal(jax.random.fold_in(key, j), x.shape)
      return x + 0.5 * alpha * score_fn(x, ib) + jnp.sqrt(alpha) * noise

    return jax.lax.fori_loop(0, steps_per_sigma, step, x), None

  n = sigmas.shape[0]
  x, _ = jax.lax.scan(level, x_init, (jnp.arange(n), jax.random.split(key, n)))
  if denoise:
    x = x + sigmas[-1] ** 2 * score_fn(x, jnp.full((x.shape[0],), n - 1, jnp.int32))
  return x


def run_langevin(process, key, score_fn, x_init, steps: int, options: LangevinOptions):
  del steps                     # options.steps per noise level, over every level
  return annealed_langevin(key, score_fn, process.sigmas, x_init, options.steps, options.lr)
