"""Train examples/s and sampling images/s of an autoregressive config at full image size, on
random data and fresh params (speed does not depend on either), without loading a dataset.

  python -m benchmarks.autoregressive_sampling --shape=28,28,1 \
      --config=experiments/configs/autoregressive/pixelcnn_binarized_mnist.py \
      --num=16 --batch=32 --train_steps=5 --samplers=recompute,cached

Sampling is one compiled loop over the positions (784 for 28x28 binary, 3072 for 32x32 RGB
subpixels, 1024 for PixelCNN++'s whole pixels). `recompute` runs one full forward pass per
position; `cached` (model.sampler) computes only the current image row of every conv layer,
or one transformer token against its key/value cache. Each sampler named in --samplers is
timed with the same params and keys, and `same_images` says how many of the cached draws
equal the recomputed ones. The first calls (compiles) are reported separately. Shrink a
paper-sized net with its section, e.g. --config.model.pixelcnn.features=..., to keep CPU runs
short.
"""
import json
import time

import jax
import jax.numpy as jnp
import numpy as np
import optax
from absl import app, flags
from ml_collections import config_flags

from gdm.data.source import DatasetInfo
from gdm.models import autoregressive

FLAGS = flags.FLAGS
config_flags.DEFINE_config_file('config', None, 'Config file.', lock_config=True)
flags.DEFINE_list('shape', ['28', '28', '1'], 'Image shape H,W,C.')
flags.DEFINE_integer('num', 16, 'Images per sampling call.')
flags.DEFINE_integer('batch', 32, 'Train batch size.')
flags.DEFINE_integer('train_steps', 5, 'Timed train steps (0 = skip).')
flags.DEFINE_integer('repeats', 1, 'Timed sampling calls.')
flags.DEFINE_list('samplers', ['cached'], 'model.sampler values to time (recompute, cached).')


def _timed(fn, *args):
  start = time.perf_counter()
  out = jax.block_until_ready(fn(*args))
  return time.perf_counter() - start, out


def time_sampler(model, params, state, num, repeats) -> tuple[dict, np.ndarray]:
  """Timings, and the draws of the first timed call (key 1: the same for every sampler)."""
  sample = jax.jit(model.sample, static_argnums=3)
  first, _ = _timed(sample, params, state, jax.random.key(0), num, {})
  timed = [_timed(sample, params, state, jax.random.key(i + 1), num, {})
           for i in range(repeats)]
  seconds = sum(s for s, _ in timed)
  return ({'first_call_s': round(first, 2), 'images_per_s': round(num * repeats / seconds, 3)},
          np.asarray(timed[0][1]))


def measure(config, shape, num, batch_size, train_steps, repeats,
            samplers=('cached',)) -> dict:
  info = DatasetInfo('benchmark', tuple(shape), 'image', num_classes=10)
  model = autoregressive.FAMILY.model(config, info)
  rng = np.random.default_rng(0)
  if config.model.likelihood == 'bernoulli':
    x = rng.integers(0, 2, size=(batch_size,) + info.shape).astype(np.float32)
  else:
    x = (rng.integers(0, 256, size=(batch_size,) + info.shape) / 127.5 - 1).astype(np.float32)
  batch = {'x': jnp.asarray(x), 'y': jnp.asarray(rng.integers(0, 10, batch_size), jnp.int32)}
  params, state = jax.jit(model.init)(jax.random.key(0), batch)
  player = model.players[0]
  opt_state = player.optimizer.init(params['model'])

  @jax.jit
  def train_step(params, opt_state, key):
    grads, _ = jax.grad(player.loss_fn, has_aux=True)(params, state, batch, key, 0)
    updates, opt_state = player.optimizer.update(grads['model'], opt_state, params['model'])
    return {'model': optax.apply_updates(params['model'], updates)}, opt_state

  out = {'backend': jax.default_backend(), 'device': jax.devices()[0].device_kind,
         'net': config.model.net, 'shape': list(info.shape), 'batch_size': batch_size,
         'num_samples': num,
         'params': int(sum(p.size for p in jax.tree.leaves(params)))}
  if train_steps:
    first, _ = _timed(train_step, params, opt_state, jax.random.key(1))
    out['train_first_call_s'] = round(first, 2)
    start = time.perf_counter()
    for i in range(train_steps):
      params, opt_state = train_step(params, opt_state, jax.random.key(i))
    jax.block_until_ready(params)
    out['train_examples_per_s'] = round(train_steps * batch_size / (time.perf_counter() - start),
                                        1)
  draws = {}
  for name in samplers:
    with config.unlocked():
      config.model.sampler = name
    out[f'sample_{name}'], draws[name] = time_sampler(
        autoregressive.FAMILY.model(config, info), params, state, num, repeats)
  if set(draws) == {'recompute', 'cached'}:
    a, b = draws.values()
    out['same_images'] = f'{int(np.all(a == b, axis=tuple(range(1, a.ndim))).sum())}/{num}'
    out['speedup'] = round(out['sample_cached']['images_per_s']
                           / out['sample_recompute']['images_per_s'], 1)
  return out


def main(argv):
  del argv
  print(json.dumps(measure(FLAGS.config, [int(s) for s in FLAGS.shape], FLAGS.num,
                           FLAGS.batch, FLAGS.train_steps, FLAGS.repeats, FLAGS.samplers)))


if __name__ == '__main__':
  app.run(main)
