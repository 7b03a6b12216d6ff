"""DDPM UNet throughput: train examples/s, sampling images/s (DDPM-1000 ancestral and
DDIM-50), and FLOPs per example from XLA's cost analysis (for utilization).

  python -m benchmarks.diffusion                      # CPU, reduced size (channels 32)
  python -m benchmarks.diffusion --channels=128 --image_size=32 --sample_image_size=32 \
      --dtype=bfloat16                                 # the paper's size (on a GPU)
  python -m benchmarks.diffusion --flops_only --channels=128   # compile only: FLOPs of the
                                                                # full 35.7M model

Synthetic data (speed does not depend on it): the train step is the model's loss gradient
plus the optimizer update from ddpm_cifar10.py's config, jitted as one program; sampling is
Model.sample (one lax.scan over the steps). FLOPs are XLA's count for the compiled program
divided by the examples it processes (a train example: forward + backward; a sample: its
scan body, which XLA counts once, times the number of steps).
"""
import json
import time

import jax
import jax.numpy as jnp
import numpy as np
import optax
from absl import app, flags

from experiments.configs.diffusion import ddpm_cifar10
from gdm.data.source import DatasetInfo
from gdm.models import diffusion

FLAGS = flags.FLAGS
flags.DEFINE_integer('channels', 32, 'UNet base channels (128 = DDPM CIFAR-10).')
flags.DEFINE_integer('image_size', 32, 'Training image size.')
flags.DEFINE_integer('sample_image_size', 16, 'Sampling image size.')
flags.DEFINE_integer('batch', 128, 'Training batch size.')
flags.DEFINE_integer('train_steps', 3, 'Timed train steps.')
flags.DEFINE_integer('num_samples', 4, 'Images per sampling call.')
flags.DEFINE_string('dtype', 'float32', 'Compute dtype: float32 | bfloat16.')
flags.DEFINE_bool('flops_only', False, 'Compile and report FLOPs, run nothing.')


def _flops(compiled) -> float:
  cost = compiled.cost_analysis()
  cost = cost[0] if isinstance(cost, (list, tuple)) else cost
  return float(cost.get('flops', float('nan')))


def _model(size: int, **model):
  config = ddpm_cifar10.get_config()
  config.model.unet.channels = FLAGS.channels
  config.model.update(model)
  config.train.compute_dtype = FLAGS.dtype
  info = DatasetInfo('cifar10', (size, size, 3), 'image', num_classes=10)
  return config, diffusion.FAMILY.model(config, info), info


def _timed(fn, *args, repeats: int):
  out = fn(*args)
  jax.block_until_ready(out)
  start = time.perf_counter()
  for _ in range(repeats):
    out = fn(*args)
  jax.block_until_ready(out)
  return (time.perf_counter() - start) / repeats


def train(results: dict):
  config, model, info = _model(FLAGS.image_size)
  rng = np.random.default_rng(0)
  batch = {'x': jnp.asarray(rng.uniform(-1, 1, (FLAGS.batch,) + info.shape), jnp.float32),
           'y': jnp.zeros((FLAGS.batch,), jnp.int32)}
  key = jax.random.key(0)
  params, state = jax.jit(model.init)(key, batch)
  player = model.players[0]
  opt_state = player.optimizer.init(params['model'])

  def step(params, opt_state, batch, key):
    grads = jax.grad(lambda p: player.loss_fn({'model': p}, state, batch, key, 0)[0])(
        params['model'])
    updates, opt_state = player.optimizer.update(grads, opt_state, params['model'])
    return {'model': optax.apply_updates(params['model'], updates)}, opt_state

  compiled = jax.jit(step).lower(params, opt_state, batch, key).compile()
  results['train_flops_per_example'] = _flops(compiled) / FLAGS.batch
  results['params'] = int(sum(np.prod(p.shape) for p in jax.tree.leaves(params)))
  if FLAGS.flops_only:
    return
  seconds = _timed(compiled, params, opt_state, batch, key, repeats=FLAGS.train_steps)
  results['train_examples_per_s'] = round(FLAGS.batch / seconds, 2)


def sampling(results: dict):
  size = FLAGS.sample_image_size
  for name, model_cfg in (('ddpm1000', dict(sampler='ancestral', sample_steps=1000)),
                          ('ddim50', dict(sampler='ddim', sample_steps=50))):
    _, model, info = _model(size, **model_cfg)
    ref = {'x': jnp.zeros((1,) + info.shape), 'y': jnp.zeros((1,), jnp.int32)}
    params, state = jax.jit(model.init)(jax.random.key(0), ref)
    fn = jax.jit(lambda p, k: model.sample(p, state, k, FLAGS.num_samples, ref))
    compiled = fn.lower(params, jax.random.key(1)).compile()
    # XLA counts a while loop's body once, whatever its trip count: the sampler's scan body
    # is one network call, so the per-image total is that times the number of steps.
    steps = model_cfg['sample_steps']
    results[f'{name}_flops_per_image'] = _flops(compiled) / FLAGS.num_samples * steps
    if not FLAGS.flops_only:
      seconds = _timed(compiled, params, jax.random.key(1), repeats=1)
      results[f'{name}_images_per_s'] = round(FLAGS.num_samples / seconds, 4)


def main(argv):
  del argv
  results = {'backend': jax.default_backend(), 'device': jax.devices()[0].device_kind,
             'channels': FLAGS.channels, 'image_size': FLAGS.image_size,
             'sample_image_size': FLAGS.sample_image_size, 'batch': FLAGS.batch,
             'num_samples': FLAGS.num_samples, 'dtype': FLAGS.dtype}
  train(results)
  sampling(results)
  print(json.dumps(results))


if __name__ == '__main__':
  app.run(main)
