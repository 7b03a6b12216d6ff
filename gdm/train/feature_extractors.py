"""Feature extractors for sample metrics, by name: FID Inception-v3, a gdm-trained domain
classifier, or the raw values (2-D / tabular data). Each is a FeatureFn: fn(x) -> (features,
logits or None), where x is a batch as the dataset stores it (uint8 images or float
vectors), with `dim` the feature size (what reference statistics must have).
"""
import dataclasses
import math
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from gdm.metrics.inception_features import check_images, inception_features
from gdm.metrics.inception_weights import load_inception_params
from gdm.train import distributed, rng
from gdm.train.restore import restore_run
from gdm.utils.checks import check_choice

FEATURES = ('inception', 'domain', 'raw')
SUFFIX = {'inception': '', 'domain': '_domain', 'raw': '_raw'}   # eval/fid, eval/fid_domain
INCEPTION_DIM = 2048


@dataclasses.dataclass(frozen=True)
class FeatureFn:
  fn: Callable
  dim: int

  def __call__(self, x):
    return self.fn(x)


def inception_feature_fn(variables, mesh=None):
  """images uint8 [N, H, W, 1|3] -> (pool [N, 2048], logits [N, 1008]), float32 numpy, each
  batch split over every device of `mesh` (default: all devices) as training splits its
  batches; compiled once per input shape. Input checks run eagerly (plain errors)."""
  apply = distributed.batch_parallel(inception_features, mesh or distributed.make_mesh())

  def feature_fn(images_uint8):
    check_images(images_uint8)
    return apply(variables, images_uint8)

  return FeatureFn(feature_fn, INCEPTION_DIM)


def inception(weights_path: str, mesh=None):
  if not weights_path:
    raise ValueError('--features=inception needs --inception_weights=PATH (an .npz made by '
                     'python -m gdm.metrics.convert_inception_weights)')
  return inception_feature_fn(load_inception_params(weights_path), mesh)


def domain(classifier_workdir: str, shape: tuple, family, mesh):
  """Penultimate features and logits of the newest checkpoint of a classifier run (its
  `features` mode), opened read-only; `family` is the classifier family."""
  clf = restore_run(classifier_workdir, family, '--domain_classifier')
  if tuple(clf.info.shape) != tuple(shape):
    raise ValueError(f'the domain classifier in {classifier_workdir!r} takes inputs of shape '
                     f'{clf.info.shape}, the samples have {tuple(shape)}')
  key = rng.key_for(jax.random.PRNGKey(clf.config.seed), 0, rng.EVAL)
  features_mode = clf.model.modes['features']

  def apply(variables, x):
    batch = clf.prepare({'x': x, 'index': jnp.zeros(len(x), jnp.int32)}, key, False)
    out = features_mode(*variables, batch, key)
    return out['features'], out['logits']

  variables = (clf.params, clf.model_state)
  dummy = jax.ShapeDtypeStruct((1,) + tuple(shape), 'uint8' if clf.info.is_image else 'float32')
  dim = jax.eval_shape(apply, variables, dummy)[0].shape[-1]
  apply = distributed.batch_parallel(apply, mesh or distributed.make_mesh())
  return FeatureFn(lambda x: apply(variables, x), dim)


def raw(shape: tuple) -> FeatureFn:
  return FeatureFn(lambda x: (np.asarray(x, np.float64).reshape(len(x), -1), None),
                   math.prod(shape))


def make(name: str, *, inception_weights: str = '', domain_classifier: str = '',
         classifier_family=None, shape: tuple = (), mesh=None):
  """`mesh`: the devices features are computed on (the run's mesh); default all devices.
  `classifier_family`: the Family that reads a --domain_classifier run."""
  check_choice(name, FEATURES, 'features', '--features')
  if name == 'inception':
    return inception(inception_weights, mesh)
  if name == 'domain':
    if not domain_classifier:
      raise ValueError('--features=domain needs --domain_classifier=WORKDIR of a trained '
                       'python -m experiments.classifier run')
    return domain(domain_classifier, shape, classifier_family, mesh)
  return raw(shape)
