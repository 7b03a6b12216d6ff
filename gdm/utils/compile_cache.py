"""JAX's persistent compilation cache: a resumed, repeated or restarted run (a preempted TPU
job included) loads its compiled programs instead of compiling them again."""
import os

import jax


def default_dir() -> str:
  """$XDG_CACHE_HOME/gdm/jax (~/.cache/gdm/jax)."""
  base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
  return os.path.join(base, 'gdm', 'jax')


def enable(directory: str, min_compile_seconds: float = 1.0):
  """Caches every program that took at least `min_compile_seconds` to compile in
  `directory` ('' = off). Entries are keyed by the program, the compile options and the
  JAX/XLA versions, so a stale entry is never used."""
  if not directory:
    return
  os.makedirs(directory, exist_ok=True)
  jax.config.update('jax_compilation_cache_dir', directory)
  jax.config.update('jax_persistent_cache_min_compile_time_secs', min_compile_seconds)
  jax.config.update('jax_persistent_cache_min_entry_size_bytes', 0)
