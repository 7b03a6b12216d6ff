"""A small classifier, trained by gdm on one dataset, whose penultimate activations are the
"domain features" for FID/KID/precision-recall where Inception features mean little (digits,
MNIST, 2-D toys). Metrics computed with it are named *_domain so that nobody mistakes them
for Inception FID.
"""
import math

import jax
import jax.numpy as jnp
import ml_collections
import optax

from gdm.data.source import DatasetInfo
from gdm.train.model import Family, Model
from gdm.nn.conv import ConvEncoder, check_conv_data
from gdm.nn.mlp import MLP, activation
from gdm.train.optim import make_optimizer
from gdm.train.players import Player
from gdm.utils.checks import check_choice

KINDS = ('mlp', 'conv')


def check_config(config: ml_collections.ConfigDict, info: DatasetInfo):
  m = config.model
  check_choice(m.kind, KINDS, 'classifier kind', 'model.kind')
  activation(m.act)
  if info.num_classes < 2:
    raise ValueError(f'a classifier needs a labelled dataset; {info.name!r} has '
                     f'{info.num_classes} classes')
  if m.feature_dim < 1:
    raise ValueError(f'model.feature_dim={m.feature_dim} must be >= 1')
  if m.kind == 'conv':
    check_conv_data(info, m.channels)


def build_network(m, info: DatasetInfo, dtype):
  """x -> penultimate features [B, feature_dim] (the domain features)."""
  if m.kind == 'conv':
    return ConvEncoder(m.channels, m.feature_dim, m.act, dtype)
  return MLP(tuple(m.hidden) + (m.feature_dim,), m.act, dtype)


def make_heads(config: ml_collections.ConfigDict, info: DatasetInfo):
  """(net, features(params, x) -> [B, feature_dim], logits(params, x) -> [B, classes])."""
  check_config(config, info)
  m = config.model
  net = build_network(m, info, jnp.dtype(config.train.compute_dtype))
  act = activation(m.act)
  flat = m.kind != 'conv'

  def features(params, x):
    x = x.reshape(x.shape[0], -1) if flat else x
    return act(net.apply({'params': params['model']['net']}, x)).astype(jnp.float32)

  def logits_of(params, x):
    head = params['model']['head']
    return features(params, x) @ head['kernel'] + head['bias']

  return net, features, logits_of


def make(config: ml_collections.ConfigDict, info: DatasetInfo) -> Model:
  m = config.model
  net, features, logits_of = make_heads(config, info)
  flat = m.kind != 'conv'

  def loss_fn(params, model_state, batch, key, step):
    logits = logits_of(params, batch['x'])
    nll = optax.softmax_cross_entropy_with_integer_labels(logits, batch['y'])
    accuracy = (logits.argmax(-1) == batch['y']).mean()
    return nll.mean(), ({'accuracy': accuracy}, model_state)

  def init(key, batch):
    x = batch['x'][:1]
    net_params = net.init(key, x.reshape(1, -1) if flat else x)['params']
    bound = 1 / math.sqrt(m.feature_dim)
    kernel = jax.random.uniform(jax.random.fold_in(key, 1),
                                (m.feature_dim, info.num_classes), jnp.float32, -bound, bound)
    return {'model': {'net': net_params, 'head': {
        'kernel': kernel, 'bias': jnp.zeros(info.num_classes)}}}, {}

  def evaluate(params, model_state, batch, key):
    logits = logits_of(params, batch['x'])
    return {'loss': optax.softmax_cross_entropy_with_integer_labels(logits, batch['y']),
            'accuracy': (logits.argmax(-1) == batch['y']).astype(jnp.float32)}

  def sample(params, model_state, key, num, reference):
    """A classifier does not generate: 'samples' are the reference inputs it classifies."""
    return reference['x'][:num]

  def visualize(params, model_state, batch, key):
    return {}

  def features_mode(params, model_state, batch, key):
    """`--mode=features`: the domain features and logits of an evaluation batch."""
    return {'features': features(params, batch['x']), 'logits': logits_of(params, batch['x'])}

  optimizer = make_optimizer(config.train.optimizer, config.train.num_steps)
  return Model(init=init, players=(Player('model', loss_fn, optimizer),), evaluate=evaluate,
               sample=sample, visualize=visualize, modes={'features': features_mode})


FAMILY = Family('classifier', None, make)
