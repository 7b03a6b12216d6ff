"""WaveNet speed: train examples/s, and audio samples/s of the fast (queue) sampler against
the naive (recomputing) one on the same params, which must draw the same clips.

  python -m benchmarks.wavenet_sampling --config=experiments/configs/audio/wavenet_tones.py \
      --length=512 --num=8 --batch=16 --train_steps=5 [--config.model.wavenet.*=...]

Fresh params and random clips (speed depends on neither); no dataset is loaded. A sampling
call draws `num` clips of `length` samples; samples/s counts audio samples (num x length per
call). The first call of each sampler (its compile) is reported separately.
"""
import functools
import json
import time

import jax
import jax.numpy as jnp
import numpy as np
import optax
from absl import app, flags
from ml_collections import config_flags

from gdm.data.source import DatasetInfo
from gdm.models import audio
from gdm.models.audio import family, sampling
from gdm.train.config import parse_run

FLAGS = flags.FLAGS
config_flags.DEFINE_config_file('config', None, 'Config file.', lock_config=True)
flags.DEFINE_integer('length', 512, 'Samples per clip.')
flags.DEFINE_integer('sample_rate', 16000, 'Only labels the clips (speed does not use it).')
flags.DEFINE_integer('num', 8, 'Clips per sampling call.')
flags.DEFINE_integer('batch', 16, 'Train batch size.')
flags.DEFINE_integer('train_steps', 5, 'Timed train steps (0 = skip).')
flags.DEFINE_integer('repeats', 1, 'Timed calls of each sampler.')
flags.DEFINE_bool('naive', True, 'Also time the naive sampler (T full passes per call).')


def _timed(fn, *args):
  start = time.perf_counter()
  out = jax.block_until_ready(fn(*args))
  return time.perf_counter() - start, out


def _train_rate(model, params, batch, steps) -> dict:
  player = model.players[0]
  opt_state = player.optimizer.init(params['model'])

  @jax.jit
  def train_step(params, opt_state, key):
    grads, _ = jax.grad(player.loss_fn, has_aux=True)(params, {}, batch, key, 0)
    updates, opt_state = player.optimizer.update(grads['model'], opt_state, params['model'])
    return {'model': optax.apply_updates(params['model'], updates)}, opt_state

  first, _ = _timed(train_step, params, opt_state, jax.random.key(1))
  start = time.perf_counter()
  for i in range(steps):
    params, opt_state = train_step(params, opt_state, jax.random.key(i))
  jax.block_until_ready(params)
  return {'train_first_call_s': round(first, 2),
          'train_examples_per_s': round(steps * batch['x'].shape[0] /
                                        (time.perf_counter() - start), 2)}


def _draw(sampler, a, cond, canvas, lengths, params, key):
  """`lengths` stays a host array (the naive sampler starts its loop there)."""
  return sampler(a.net, a.head, params['model'], cond, key, canvas, lengths)


def measure(config, length, sample_rate, num, batch_size, train_steps, repeats,
            naive) -> dict:
  config.data.audio.length = length
  info = DatasetInfo('benchmark', (length,), 'audio', num_classes=10, sample_rate=sample_rate)
  run = parse_run(config, audio.FAMILY.config)
  a = family.build(run, info)
  model = audio.make(run, info)
  rng = np.random.default_rng(0)
  batch = {'x': jnp.asarray(rng.uniform(-1, 1, (batch_size, length)), jnp.float32),
           'y': jnp.asarray(rng.integers(0, 10, batch_size), jnp.int32)}
  params, _ = jax.jit(model.init)(jax.random.key(0), batch)
  out = {'backend': jax.default_backend(), 'device': jax.devices()[0].device_kind,
         'length': length, 'num_clips': num, 'batch_size': batch_size,
         'receptive_field': a.net.receptive_field,
         'params': int(sum(p.size for p in jax.tree.leaves(params)))}
  if train_steps:
    out.update(_train_rate(model, params, batch, train_steps))
  cond = family.cond_of(a, jnp.arange(num) % 10)
  canvas, lengths = jnp.zeros((num, length)), np.zeros(num, np.int64)
  clips = {}
  for name in ('fast', 'naive') if naive else ('fast',):
    fn = jax.jit(functools.partial(_draw, sampling.SAMPLERS[name], a, cond, canvas, lengths))
    out[f'{name}_first_call_s'] = round(_timed(fn, params, jax.random.key(0))[0], 2)
    seconds = 0.0
    for i in range(repeats):
      s, clips[name] = _timed(fn, params, jax.random.key(i + 1))
      seconds += s
    out[f'{name}_samples_per_s'] = round(num * length * repeats / seconds, 1)
  if naive:
    out['speedup'] = round(out['fast_samples_per_s'] / out['naive_samples_per_s'], 1)
    out['same_clips'] = bool(np.array_equal(clips['fast'], clips['naive']))
  return out


def main(argv):
  del argv
  print(json.dumps(measure(FLAGS.config, FLAGS.length, FLAGS.sample_rate, FLAGS.num,
                           FLAGS.batch, FLAGS.train_steps, FLAGS.repeats, FLAGS.naive)))


if __name__ == '__main__':
  app.run(main)
