"""run_once: the jitted function's values (to the last bits of a float), from a program
compiled with the CPU options when its outputs are small."""
import flax.linen as nn
import jax
import numpy as np

from gdm.utils import run_once as run_once_lib


def test_run_once_returns_the_jitted_values_and_passes_its_options(monkeypatch):
  net = nn.Sequential([nn.Dense(16), nn.relu, nn.Dense(3)])
  init = jax.jit(net.init)
  x = np.ones((2, 5), np.float32)
  want = init(jax.random.key(0), x)
  got = run_once_lib.run_once(init, jax.random.key(0), x)
  for a, b in zip(jax.tree.leaves(want), jax.tree.leaves(got)):
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
  seen = []
  real = jax.stages.Lowered.compile
  monkeypatch.setattr(jax.stages.Lowered, 'compile',
                      lambda self, compiler_options=None: seen.append(compiler_options)
                      or real(self, compiler_options=compiler_options))
  run_once_lib.run_once(init, jax.random.key(1), x)
  assert seen == [run_once_lib.CPU_OPTIONS if jax.default_backend() == 'cpu' else None]


def test_big_outputs_keep_the_default_options():
  small = [jax.ShapeDtypeStruct((1000, 1000), 'float32')]
  big = small * 17                                        # 17M numbers
  cpu = jax.default_backend() == 'cpu'
  assert run_once_lib.options_for(small) == (run_once_lib.CPU_OPTIONS if cpu else None)
  assert run_once_lib.options_for(big) is None
