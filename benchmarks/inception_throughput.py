"""Images/s of FID Inception feature extraction and of the FID pipeline built on it.

  python -m benchmarks.inception_throughput --batch_size=50 --batches=4 [--image_size=32]

Weights are random with the exact FIDInceptionV3 names and shapes (the real file cannot be
downloaded on the development machine; the speed does not depend on the values). Timed after
one compiling call:
- features: uint8 [B, S, S, 3] -> resize to 299 -> (pool [B, 2048], logits [B, 1008]),
  split over all local devices (gdm.train.feature_extractors.inception_feature_fn);
- fid pipeline: the same plus streaming float64 mean/covariance updates per batch;
- frechet distance: the one 2048-d float64 Fréchet distance at the end (a fixed cost per
  evaluation, not per image).
"""
import json
import time

import jax
import numpy as np
from absl import app, flags

from gdm.metrics import distribution
from gdm.train.feature_extractors import inception_feature_fn
from gdm.metrics.inception_weights import expected_shapes, variables_from_state_dict
from gdm.metrics.streaming import StreamingStats

FLAGS = flags.FLAGS
flags.DEFINE_integer('batch_size', 50, 'Images per call (pytorch-fid defaults to 50).')
flags.DEFINE_integer('batches', 4, 'Timed batches.')
flags.DEFINE_integer('image_size', 32, 'Side of the uint8 input images (CIFAR-10: 32).')


def random_variables(seed: int = 0) -> dict:
  rng = np.random.default_rng(seed)
  state = {}
  for key, shape in expected_shapes().items():
    if key.endswith('running_var'):
      state[key] = rng.uniform(0.5, 1.5, shape).astype(np.float32)
    else:
      fan_in = np.prod(shape[1:]) if len(shape) > 1 else 1
      state[key] = (rng.normal(size=shape) / np.sqrt(fan_in)).astype(np.float32)
  return variables_from_state_dict(state)


def main(argv):
  del argv
  feature_fn = inception_feature_fn(random_variables())
  rng = np.random.default_rng(1)
  shape = (FLAGS.batch_size, FLAGS.image_size, FLAGS.image_size, 3)
  batches = [rng.integers(0, 256, shape, dtype=np.uint8) for _ in range(FLAGS.batches)]

  start = time.perf_counter()
  feature_fn(batches[0])
  first = time.perf_counter() - start

  start = time.perf_counter()
  for x in batches:
    feature_fn(x)
  features_s = time.perf_counter() - start

  start = time.perf_counter()
  stats = StreamingStats(2048)
  for x in batches:
    stats.update(np.asarray(feature_fn(x)[0], np.float64))
  mu, sigma = stats.result()
  pipeline_s = time.perf_counter() - start
  start = time.perf_counter()
  distribution.frechet_distance(mu, sigma, mu + 0.01, sigma)
  frechet_s = time.perf_counter() - start

  n = FLAGS.batch_size * FLAGS.batches
  print(json.dumps({
      'devices': f'{jax.local_device_count()} {jax.devices()[0].platform}',
      'batch_size': FLAGS.batch_size, 'image_size': FLAGS.image_size, 'images': n,
      'first_call_s': round(first, 2),
      'features_images_per_s': round(n / features_s, 2),
      'fid_pipeline_images_per_s': round(n / pipeline_s, 2),
      'frechet_distance_s': round(frechet_s, 2)}))


if __name__ == '__main__':
  app.run(main)
