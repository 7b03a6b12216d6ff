"""Feature extractors for sample metrics, by name: FID Inception-v3, a gdm-trained domain
classifier, or the raw values (2-D / tabular data). Each is fn(x) -> (features, logits or
None), where x is a batch as the dataset stores it (uint8 images or float vectors).
"""
import jax.numpy as jnp
import numpy as np

from gdm.train import distributed, experiment, rng
from gdm.utils.checks import check_choice

FEATURES = ('inception', 'domain', 'raw')
SUFFIX = {'inception': '', 'domain': '_domain', 'raw': '_raw'}   # eval/fid, eval/fid_domain


def inception(weights_path: str, mesh=None):
  from gdm.metrics.inception_features import make_feature_fn
  from gdm.metrics.inception_weights import load_inception_params
  if not weights_path:
    raise ValueError('--features=inception needs --inception_weights=PATH (an .npz made by '
                     'python -m gdm.metrics.convert_inception_weights)')
  return make_feature_fn(load_inception_params(weights_path), mesh)


def domain(classifier_workdir: str, shape: tuple):
  """Penultimate features and logits of the newest checkpoint of a `classifier` run."""
  from gdm.models import classifier
  config, family = experiment.load_run(classifier_workdir)
  if family != 'classifier':
    raise ValueError(f'--domain_classifier={classifier_workdir!r} is a {family!r} run, not a '
                     f'classifier (python -m experiments.classifier)')
  exp = experiment.build(config, classifier_workdir, 'classifier')
  if tuple(exp.info.shape) != tuple(shape):
    raise ValueError(f'the domain classifier in {classifier_workdir!r} takes inputs of shape '
                     f'{exp.info.shape}, the samples have {tuple(shape)}')
  state, step = exp.restore_or_init()
  if step is None:
    raise ValueError(f'the domain classifier in {classifier_workdir!r} has no checkpoint')
  _, features, logits = classifier.make_heads(config, exp.info)
  key = rng.key_for(exp.base_key, 0, rng.EVAL)

  def apply(params, x):
    x = exp.prepare({'x': x, 'index': jnp.zeros(len(x), jnp.int32)}, key, False)['x']
    return features(params, x), logits(params, x)

  apply = distributed.batch_parallel(apply, exp.mesh)
  return lambda x: apply(state.ema_params, x)


def raw(x):
  return np.asarray(x, np.float64).reshape(len(x), -1), None


def make(name: str, *, inception_weights: str = '', domain_classifier: str = '',
         shape: tuple = (), mesh=None):
  """`mesh`: the devices features are computed on (the run's mesh); default all devices."""
  check_choice(name, FEATURES, 'features', '--features')
  if name == 'inception':
    return inception(inception_weights, mesh)
  if name == 'domain':
    if not domain_classifier:
      raise ValueError('--features=domain needs --domain_classifier=WORKDIR of a trained '
                       'python -m experiments.classifier run')
    return domain(domain_classifier, shape)
  return raw
