"""Compiling a program that runs once, such as the train state's init, for compile time
rather than run time.

An init is one random draw per parameter, and XLA:CPU spends most of its compile on
optimising those draws (threefry) and initialisers: BigGAN's digits smoke init took 32.8 s
to compile at the default level and 12.0 s at backend optimisation level 0, Glow's 7.0 and
1.2 s, while the init itself runs in milliseconds to seconds. So on CPU a run-once program
is compiled at level 0; elsewhere (GPU and TPU compile differently) as any other program.
Some floats can differ from the optimised program's in their last bits (measured: 77 of
BigGAN's 279 init leaves, by at most 4e-7).
"""
import jax

CPU_OPTIONS = {'xla_backend_optimization_level': 0}


def run_once(jitted, *args):
  """jitted(*args), its program compiled for compile time on CPU."""
  lowered = jitted.lower(*args)
  options = CPU_OPTIONS if jax.default_backend() == 'cpu' else None
  return lowered.compile(compiler_options=options)(*args)
