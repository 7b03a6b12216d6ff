"""XLA flags for test processes (no imports: read before JAX starts).

Most tests compile far more than they run (smoke configs, a few steps), so tests compile
at XLA:CPU's backend optimisation level 0 with LLVM's expensive passes off: the full suite
ran 6% faster at level 0 than at level 1 (tests/conftest.py says how the rest is chosen),
and the GAN smoke runs twice as fast. Tests marked `optimized` run long loops of small
programs (samplers, Markov chains, hundreds of steps), which level 0 slows by up to 10x;
they compile at level 1, which still compiles JAX's threefry in a fraction of the default
level's time.
"""
OPTIMIZED_FLAGS = '--xla_backend_optimization_level=1'
QUICK_FLAGS = '--xla_backend_optimization_level=0 --xla_llvm_disable_expensive_passes=true'


def xla_flags(devices: int, optimized: bool = False) -> str:
  """XLA_FLAGS for a test subprocess with `devices` CPU devices."""
  flags = OPTIMIZED_FLAGS if optimized else QUICK_FLAGS
  return f'--xla_force_host_platform_device_count={devices} {flags}'


def setup_test_process():
  """Eight CPU devices, so sharded code paths run for real, and quick compiles by default
  (tests/conftest.py raises them to level 1 for `optimized` tests). Call before JAX starts."""
  import os
  os.environ['XLA_FLAGS'] = f"{os.environ.get('XLA_FLAGS', '')} {OPTIMIZED_FLAGS}".strip()
  import jax
  jax.config.update('jax_num_cpu_devices', 8)
  # The process's XLA flags are fixed once the backend starts; this one is read per compile.
  jax.config.update('jax_disable_most_optimizations', True)
