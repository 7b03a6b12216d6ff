"""Running one of several traced branches: `lax.switch`, or on CPU every branch and a select.

XLA:CPU runs the convolutions inside a conditional's branches ~40x slower than outside
(ProGAN's G+D gradient at 8x8: 1.9 s against 43-50 ms, benchmarks/progan_branching.py), so
there computing every branch and keeping one is faster, with the same values up to rounding.
"""
import jax
import jax.numpy as jnp


def run_all_by_default() -> bool:
  """Whether this backend should run every branch and select (CPU) instead of switching."""
  return jax.default_backend() == 'cpu'


def pick(index, branches, *args, run_all: bool | None = None):
  """branches[index](*args) for a traced int or bool index; run_all=None: by backend."""
  if run_all is None:
    run_all = run_all_by_default()
  index = jnp.asarray(index, jnp.int32)           # lax.switch takes no bool
  if not run_all:
    return jax.lax.switch(index, branches, *args)
  outs = [branch(*args) for branch in branches]
  return jax.tree.map(lambda *xs: jax.lax.select_n(index, *xs), *outs)
