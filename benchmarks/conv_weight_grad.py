"""The kernel gradient of one 3x3 convolution (the DDPM UNet's at 32x32, 128 channels): XLA's
own against gdm.nn.chunked_conv's batch slices, interleaved in one process.

  python -m benchmarks.conv_weight_grad [--batches=8,32] [--chunks=2,4,8] [--rounds=5]

Prints ms per example (median over rounds) of the forward pass, the input gradient and the
kernel gradient, plain and chunked; the chunked gradients are checked against the plain.
"""
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np
from absl import app, flags
from jax import lax

from gdm.nn.chunked_conv import chunked_conv

FLAGS = flags.FLAGS
flags.DEFINE_list('batches', ['8', '32'], 'Batch sizes.')
flags.DEFINE_list('chunks', ['2', '4', '8'], 'Slice sizes of the chunked kernel gradient.')
flags.DEFINE_integer('channels', 128, 'Input and output channels.')
flags.DEFINE_integer('size', 32, 'Height and width.')
flags.DEFINE_integer('rounds', 5, 'Interleaved timing rounds.')
DN = ('NHWC', 'HWIO', 'NHWC')


def _work(batch: int, chunks):
  rng = np.random.default_rng(0)
  c, s = FLAGS.channels, FLAGS.size
  x = jnp.asarray(rng.normal(size=(batch, s, s, c)), jnp.float32)
  w = jnp.asarray(rng.normal(size=(3, 3, c, c)) * 0.05, jnp.float32)
  g = jnp.asarray(rng.normal(size=(batch, s, s, c)), jnp.float32)

  def kernel_grad(conv):
    return jax.jit(lambda x, w, g: jax.vjp(
        lambda w: conv(x, w, (1, 1), 'SAME', dimension_numbers=DN), w)[1](g)[0])

  plain = lax.conv_general_dilated
  work = {'forward': jax.jit(lambda x, w, g: plain(x, w, (1, 1), 'SAME', dimension_numbers=DN)),
          'input grad': jax.jit(lambda x, w, g: jax.vjp(
              lambda x: plain(x, w, (1, 1), 'SAME', dimension_numbers=DN), x)[1](g)[0]),
          'kernel grad, XLA': kernel_grad(plain)}
  for k in chunks:
    if k < batch:
      work[f'kernel grad, slices of {k}'] = kernel_grad(chunked_conv(k))
  want = work['kernel grad, XLA'](x, w, g)
  for name, fn in work.items():
    out = fn(x, w, g)
    if name.startswith('kernel grad, slices'):
      err = float(jnp.abs(out - want).max() / jnp.abs(want).max())
      assert err < 1e-4, (name, err)
  return work, (x, w, g)


def main(argv):
  del argv
  chunks = [int(k) for k in FLAGS.chunks]
  cases = {int(b): _work(int(b), chunks) for b in FLAGS.batches}
  times = {}
  for _ in range(FLAGS.rounds):
    for batch, (work, args) in cases.items():
      for name, fn in work.items():
        start = time.perf_counter()
        jax.block_until_ready(fn(*args))
        times.setdefault((batch, name), []).append((time.perf_counter() - start) / batch * 1e3)
  print(f'| batch | work ({FLAGS.size}x{FLAGS.size}x{FLAGS.channels}, 3x3) | ms / example |')
  print('| --- | --- | --- |')
  for (batch, name), v in times.items():
    print(f'| {batch} | {name} | {statistics.median(v):.1f} |')


if __name__ == '__main__':
  app.run(main)
