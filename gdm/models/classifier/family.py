"""A small classifier, trained by gdm on one dataset, whose penultimate activations are the
"domain features" for FID/KID/precision-recall where Inception features mean little (digits,
MNIST, 2-D toys). Metrics computed with it are named *_domain so that nobody mistakes them
for Inception FID.

Every function here takes the `Classifier` that `build` makes once from the config; the
package's `make` binds them into the trainer's `Model`.
"""
import dataclasses
import math

import flax.linen as nn
import jax
import jax.numpy as jnp
import optax

from gdm.data.source import DatasetInfo
from gdm.models.classifier.config import ClassifierConfig, check
from gdm.models.classifier.nets import build_network
from gdm.nn.mlp import activation
from gdm.train.config import RunConfig


@dataclasses.dataclass(frozen=True)
class Classifier:
  """What every function of the family needs, built once from the config."""
  m: ClassifierConfig
  info: DatasetInfo
  net: nn.Module                # x -> pre-activation features [B, feature_dim]

  @property
  def flat(self) -> bool:
    return self.m.kind != 'conv'


def build(run: RunConfig, info: DatasetInfo) -> Classifier:
  check(run.model, info)
  net = build_network(run.model, jnp.dtype(run.train.compute_dtype))
  return Classifier(m=run.model, info=info, net=net)


def features(clf: Classifier, params, x):
  """The domain features [B, feature_dim]: the activated penultimate layer, float32."""
  x = x.reshape(x.shape[0], -1) if clf.flat else x
  h = clf.net.apply({'params': params['model']['net']}, x)
  return activation(clf.m.act)(h).astype(jnp.float32)


def logits(clf: Classifier, params, x):
  head = params['model']['head']
  return features(clf, params, x) @ head['kernel'] + head['bias']


def loss(clf: Classifier, params, model_state, batch, key, step):
  out = logits(clf, params, batch['x'])
  nll = optax.softmax_cross_entropy_with_integer_labels(out, batch['y'])
  accuracy = (out.argmax(-1) == batch['y']).mean()
  return nll.mean(), ({'accuracy': accuracy}, model_state)


def init(clf: Classifier, key, batch):
  x = batch['x'][:1]
  net_params = clf.net.init(key, x.reshape(1, -1) if clf.flat else x)['params']
  dim, classes = clf.m.feature_dim, clf.info.num_classes
  bound = 1 / math.sqrt(dim)
  kernel = jax.random.uniform(jax.random.fold_in(key, 1), (dim, classes), jnp.float32,
                              -bound, bound)
  return {'model': {'net': net_params, 'head': {
      'kernel': kernel, 'bias': jnp.zeros(classes)}}}, {}


def evaluate(clf: Classifier, params, model_state, batch, key):
  out = logits(clf, params, batch['x'])
  return {'loss': optax.softmax_cross_entropy_with_integer_labels(out, batch['y']),
          'accuracy': (out.argmax(-1) == batch['y']).astype(jnp.float32)}


def sample(clf: Classifier, params, model_state, key, num, reference):
  """A classifier does not generate: 'samples' are the reference inputs it classifies."""
  return reference['x'][:num]


def visualize(clf: Classifier, params, model_state, batch, key):
  return {}
