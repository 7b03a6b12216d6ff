"""Randomness as a function of (seed, step, purpose), never of how a run was split."""
import jax

DATA, PLAYER, EVAL, SAMPLE, INIT = range(5)


def key_for(base: jax.Array, step, purpose: int, *more: int) -> jax.Array:
  key = jax.random.fold_in(jax.random.fold_in(base, step), purpose)
  for m in more:
    key = jax.random.fold_in(key, m)
  return key
