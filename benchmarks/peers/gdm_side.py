"""The gdm side of the peer benchmarks (the same work as torch_side.py):

  python -m benchmarks.peers.gdm_side unet_train --channels=32 --batch=8
  python -m benchmarks.peers.gdm_side ddim50 --channels=32 --batch=8
  python -m benchmarks.peers.gdm_side inception --batch=50

unet_train: ddpm_cifar10's train step (the DDPM UNet at `channels`, eps-prediction L_simple,
Adam with clipping, EMA: the full trainer step) on random 32x32 batches; ddim50: the
diffusion family's DDIM sampler with 50 steps; inception: FID Inception-v3 features with
random weights of the real shapes. Prints one JSON line.
"""
import argparse
import json
import time

import jax
import numpy as np


def timed(fn, repeats: int) -> float:
  jax.block_until_ready(fn())
  start = time.perf_counter()
  for _ in range(repeats):
    out = fn()
  jax.block_until_ready(out)
  return (time.perf_counter() - start) / repeats


def _model(channels: int, batch: int, wgrad_chunk: int = 8, **model):
  from experiments.configs.diffusion import ddpm_cifar10
  from experiments.families import FAMILIES
  from gdm.data.source import DatasetInfo
  config = ddpm_cifar10.get_config()
  config.model.unet.channels = channels
  config.model.unet.cpu_wgrad_chunk = wgrad_chunk
  config.model.update(model)
  config.train.batch_size = batch
  info = DatasetInfo('cifar10', (32, 32, 3), 'image', num_classes=10)
  return config, FAMILIES['diffusion'].model(config, info)


def unet_train(args):
  from gdm.train import state as state_lib
  from gdm.train.step import make_train_step
  config, model = _model(args.channels, args.batch, args.wgrad_chunk)
  batch = {'x': np.random.default_rng(0).integers(0, 256, (1, args.batch, 32, 32, 3),
                                                  dtype=np.uint8)}
  prepare = lambda b, k, t: {'x': b['x'].astype('float32') / 127.5 - 1}  # noqa: E731
  params, model_state = jax.jit(model.init)(jax.random.PRNGKey(0), prepare(
      {'x': batch['x'][0]}, None, False))
  state = state_lib.create(params, model_state, {p.name: p.optimizer for p in model.players})
  step = jax.jit(make_train_step(model.players, prepare, 0.9999, 10.0), donate_argnums=0)
  holder = [state]

  def call():
    holder[0], metrics = step(holder[0], batch, jax.random.PRNGKey(1))
    return metrics

  return {'examples_per_s': args.batch / timed(call, args.repeats)}


def ddim50(args):
  config, model = _model(args.channels, args.batch, sampler='ddim', sample_steps=50)
  x = {'x': np.zeros((1, 32, 32, 3), np.float32)}
  params, model_state = jax.jit(model.init)(jax.random.PRNGKey(0), x)
  sample = jax.jit(lambda p, k: model.sample(p, model_state, k, args.batch, x))
  return {'images_per_s': args.batch / timed(lambda: sample(params, jax.random.PRNGKey(2)),
                                              args.repeats)}


def inception(args):
  from benchmarks.inception_throughput import random_variables
  from gdm.train.feature_extractors import inception_feature_fn
  fn = inception_feature_fn(random_variables())
  images = np.random.default_rng(0).integers(0, 256, (args.batch, 32, 32, 3), dtype=np.uint8)
  return {'images_per_s': args.batch / timed(lambda: fn(images)[0], args.repeats)}


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument('work', choices=['unet_train', 'ddim50', 'inception'])
  parser.add_argument('--channels', type=int, default=32)
  parser.add_argument('--batch', type=int, default=8)
  parser.add_argument('--repeats', type=int, default=3)
  parser.add_argument('--wgrad_chunk', type=int, default=8,
                      help='model.unet.cpu_wgrad_chunk (0: the plain XLA kernel gradient)')
  args = parser.parse_args()
  out = {'unet_train': unet_train, 'ddim50': ddim50, 'inception': inception}[args.work](args)
  print(json.dumps({'side': 'gdm', 'work': args.work, **{k: round(v, 3)
                                                        for k, v in out.items()}}))


if __name__ == '__main__':
  main()
