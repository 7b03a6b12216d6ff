"""What picking the active resolution costs: ProGAN's G+D gradient (progan_digits widths,
batch 64, 16x16 with the 8x8 level fading in) with the level-1 networks called directly,
through `lax.switch` (model.progan.branching='switch') and as every level's network plus a
select ('all', the CPU default).

  python -m benchmarks.progan_branching [--repeats=10]

Prints ms per jitted gradient call for each, twice, interleaved.
"""
import time

import jax
import jax.numpy as jnp
from absl import app, flags

from gdm.models.gan.growth import Growth, apply_grown
from gdm.models.gan.progan_nets import ProGANDiscriminator, ProGANGenerator

FLAGS = flags.FLAGS
flags.DEFINE_integer('repeats', 10, 'Timed calls per measurement.')
STEP = 150          # level 1, alpha 0.5 of Growth(3, 100, 100)


def main(argv):
  del argv
  g = ProGANGenerator(channels=(64, 64, 32), out_channels=1)
  d = ProGANDiscriminator(channels=(64, 64, 32))
  z = jax.random.normal(jax.random.key(0), (64, 64))
  gv = g.init(jax.random.key(1), z, level=2, alpha=1.0)
  dv = d.init(jax.random.key(2), jnp.zeros((64, 16, 16, 1)), level=2, alpha=1.0)

  def direct(gv, dv):
    return d.apply(dv, g.apply(gv, z, level=1, alpha=0.5), level=1, alpha=0.5)['score'].mean()

  def grown(all_levels):
    growth = Growth(3, 100, 100, all_levels=all_levels)
    return lambda gv, dv: apply_grown(d, growth, STEP, dv,
                                      apply_grown(g, growth, STEP, gv, z))['score'].mean()

  for name, f in [('direct', direct), ('switch', grown(False)), ('all', grown(True))] * 2:
    fn = jax.jit(jax.grad(f, argnums=(0, 1)))
    jax.block_until_ready(fn(gv, dv))
    start = time.perf_counter()
    for _ in range(FLAGS.repeats):
      out = fn(gv, dv)
    jax.block_until_ready(out)
    print(f'{name}: {(time.perf_counter() - start) / FLAGS.repeats * 1000:.1f} ms', flush=True)


if __name__ == '__main__':
  app.run(main)
