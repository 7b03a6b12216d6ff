"""The train state: everything a resumed run needs, as one pytree."""
from typing import Any

import flax.struct
import jax
import jax.numpy as jnp

Pytree = Any


@flax.struct.dataclass
class TrainState:
  step: jax.Array            # int32 scalar: number of completed train steps
  params: dict               # {player name: params}
  opt_state: dict            # {player name: optax state}
  ema_params: dict           # exponential moving average of `params`, for eval and sampling
  model_state: Pytree        # non-trained collections (batch statistics, power iterations)
  nonfinite_run: jax.Array   # steps in a row with a skipped (non-finite) update
  skipped: jax.Array         # skipped updates in total


def create(params: dict, model_state: Pytree, optimizers: dict) -> TrainState:
  return TrainState(
      step=jnp.zeros((), jnp.int32),
      params=params,
      opt_state={name: tx.init(params[name]) for name, tx in optimizers.items()},
      ema_params=jax.tree.map(jnp.copy, params),
      model_state=model_state,
      nonfinite_run=jnp.zeros((), jnp.int32),
      skipped=jnp.zeros((), jnp.int32),
  )
