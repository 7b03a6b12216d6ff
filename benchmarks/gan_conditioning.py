"""Does a class-conditional GAN draw the class it is asked for? Samples of each class from
the EMA generator of a trained run, classified by a gdm domain classifier.

  python -m benchmarks.gan_conditioning --workdir=/tmp/biggan_digits \
      --classifier=/tmp/clf_digits16 [--num_samples=1000] [--truncation=0]

Labels cycle through the classes (the family's `sample`); the accuracy is the share of
samples the classifier labels as asked (chance: 1 / classes), beside the classifier's own
accuracy on the run's held-out split for reference. Prints one JSON line.
"""
import dataclasses
import json

import jax
import numpy as np
from absl import app, flags

from experiments.families import FAMILIES
from gdm import data as data_lib
from gdm.train import feature_extractors, rng
from gdm.train.restore import restore_run

FLAGS = flags.FLAGS
flags.DEFINE_string('workdir', None, 'A trained conditional GAN run.', required=True)
flags.DEFINE_string('classifier', None, 'A python -m experiments.classifier run.', required=True)
flags.DEFINE_integer('num_samples', 1000, 'Samples (a multiple of the class count).')
flags.DEFINE_integer('batch_size', 250, 'Samples per call.')
flags.DEFINE_float('truncation', -1.0, 'Overrides model.truncation when >= 0.')


def class_accuracy(run, classify, num: int, batch_size: int) -> float:
  classes = run.info.num_classes
  sample = jax.jit(lambda k: run.model.sample(run.params, run.model_state, k, batch_size, {}))
  hits = []
  for i in range(num // batch_size):
    x = sample(rng.key_for(jax.random.PRNGKey(run.config.seed), i, rng.SAMPLE))
    logits = classify(np.asarray(data_lib.to_uint8(x, run.config.data.pixels)))
    hits.append(np.argmax(logits, -1) == np.arange(batch_size) % classes)
  return float(np.mean(np.concatenate(hits)))


def main(argv):
  del argv
  family = FAMILIES['gan']
  run = restore_run(FLAGS.workdir, family, '--workdir')
  truncation = run.config.model.truncation
  if FLAGS.truncation >= 0:
    truncation = FLAGS.truncation
    m = dataclasses.replace(run.config.model, truncation=truncation)
    run = dataclasses.replace(run, model=family.make(dataclasses.replace(run.config, model=m),
                                                     run.info))
  if FLAGS.batch_size % run.info.num_classes or FLAGS.num_samples % FLAGS.batch_size:
    raise ValueError('--batch_size must be a multiple of the classes and divide --num_samples')
  features = feature_extractors.domain(FLAGS.classifier, run.info.shape, FAMILIES['classifier'],
                                       None)
  classify = lambda x: features(x)[1]  # noqa: E731
  test = data_lib.load_source(run.config.data, run.config.data.eval_split)
  real = test[np.arange(len(test))]
  real_accuracy = float(np.mean(np.argmax(classify(real['x']), -1) == real['y']))
  print(json.dumps({'workdir': FLAGS.workdir, 'step': run.step, 'classes': run.info.num_classes,
                    'samples': FLAGS.num_samples, 'truncation': truncation,
                    'sample_class_accuracy': class_accuracy(run, classify, FLAGS.num_samples,
                                                            FLAGS.batch_size),
                    'chance': 1.0 / run.info.num_classes,
                    'classifier_test_accuracy': real_accuracy}))


if __name__ == '__main__':
  app.run(main)
