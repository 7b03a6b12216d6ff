"""Compiling a program that runs once, such as the train state's init, for compile time
rather than run time when what it computes is small.

An init is one random draw per parameter, and XLA:CPU spends most of a small model's init
compile on optimising those draws (threefry) and initialisers: BigGAN's digits smoke init
took 32.8 s to compile at the default level and 12.0 s at backend optimisation level 0,
Glow's digits smoke 7.0 and 1.2 s, while running it takes milliseconds. For big states the
unoptimised program's run costs more than its compile saves (Gated PixelCNN, 193M params:
init 20.7 -> 33.7 s; Glow K=32, whose init is also a data-dependent forward pass: 48.7 ->
55.4 s), so only programs whose outputs hold at most MAX_ELEMENTS numbers, on CPU, are
compiled at level 0; GPU and TPU compile differently and are left alone. Some floats can
differ from the optimised program's in their last bits (measured: 77 of BigGAN's 279 init
leaves, by at most 4e-7).
"""
import math

import jax

CPU_OPTIONS = {'xla_backend_optimization_level': 0}
MAX_ELEMENTS = 16_000_000        # ~4M params with their EMA and two Adam moments


def options_for(out_shapes) -> dict | None:
  """Compiler options for a run-once program with these output shapes."""
  elements = sum(math.prod(x.shape) for x in jax.tree.leaves(out_shapes))
  return CPU_OPTIONS if jax.default_backend() == 'cpu' and elements <= MAX_ELEMENTS else None


def run_once(jitted, *args):
  """jitted(*args), compiled with options_for its outputs."""
  lowered = jitted.lower(*args)
  return lowered.compile(compiler_options=options_for(lowered.out_info))(*args)
