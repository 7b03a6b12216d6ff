"""The classifier's network: x -> penultimate features [B, feature_dim] (the domain
features), an MLP for vectors or flattened images, or the convolutional encoder; the linear
head on top is a plain (kernel, bias) pair in family.py."""
import flax.linen as nn

from gdm.models.classifier.config import ClassifierConfig
from gdm.nn.conv import ConvEncoder
from gdm.nn.mlp import MLP


def build_network(m: ClassifierConfig, dtype) -> nn.Module:
  if m.kind == 'conv':
    return ConvEncoder(m.channels, m.feature_dim, m.act, dtype)
  return MLP(tuple(m.hidden) + (m.feature_dim,), m.act, dtype)
