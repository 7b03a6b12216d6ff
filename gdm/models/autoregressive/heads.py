"""What an autoregressive network's outputs mean: the conditional distribution of one
element given its predecessors, its log-probability and an exact sampler.

Element-wise heads (one distribution per subpixel / vector entry; network output
[..., P] per element):
  bernoulli          binary pixels, P = 1 logit
  categorical        V-way softmax: 8-bit pixels in [-1, 1] (V = 256) or VQ-VAE codes
  gaussian_mixture   real-valued entries (2-D toys), P = 3K: logits, means, log stds
Pixel-wise head (one distribution per whole pixel, output [..., P] per pixel):
  logistic_mixture   PixelCNN++ (gdm/objectives/logistic_mixture.py)
`HEADS` maps `model.likelihood` to its builder; a prior over VQ-VAE codes uses CodeCategorical.
"""
import abc
import dataclasses
import math

import jax
import jax.numpy as jnp

from gdm.nn.image_transformer import Vocabulary
from gdm.objectives import decoder_likelihoods as lik
from gdm.objectives import logistic_mixture


class Head(abc.ABC):
  """num_params: P per element (per pixel when pixel_wise); kind: what bits/dim reports
  (gdm.metrics.bits_per_dim: 'discrete' or 'density'); vocabulary: the values an element
  takes, for nets that embed them (None: real-valued or pixel-wise)."""
  num_params: int
  pixel_wise = False
  kind = 'discrete'
  vocabulary = None

  @abc.abstractmethod
  def log_prob(self, out, x):
    """out [..., P], x [...] (pixel-wise: [..., C]) -> [...] nats."""

  @abc.abstractmethod
  def sample(self, key, out):
    """out [..., P] -> values [...] (pixel-wise: [..., C]) in data space."""

  def check(self, x):
    """A one-line error on data the head cannot score (when x's value is known)."""
    del x


@dataclasses.dataclass(frozen=True)
class Bernoulli(Head):
  num_params = 1
  vocabulary = Vocabulary(2, 0.0, 1.0)

  def log_prob(self, out, x):
    lik.check_binary(x)
    logits = out[..., 0].astype(jnp.float32)
    return x * logits - jax.nn.softplus(logits)

  def sample(self, key, out):
    return jax.random.bernoulli(key, jax.nn.sigmoid(out[..., 0])).astype(jnp.float32)

  def check(self, x):
    lik.check_binary(x)


class Categorical(Head):
  """A softmax over num_params values that `to_index` maps to 0..P-1."""

  @abc.abstractmethod
  def to_index(self, x):
    """Data values -> indices 0..P-1."""

  @abc.abstractmethod
  def from_index(self, i):
    """Indices -> data values."""

  def log_prob(self, out, x):
    self.check(x)
    idx = self.to_index(x)
    logp = jax.nn.log_softmax(out.astype(jnp.float32), axis=-1)
    return jnp.take_along_axis(logp, idx[..., None], axis=-1)[..., 0]

  def sample(self, key, out):
    return self.from_index(jax.random.categorical(key, out.astype(jnp.float32), axis=-1))


@dataclasses.dataclass(frozen=True)
class EightBitCategorical(Categorical):
  """256 values of pixels scaled to [-1, 1] (value v at 2v/255 - 1)."""
  num_params = 256
  vocabulary = Vocabulary(256, -1.0, 1.0)

  def to_index(self, x):
    return jnp.round((x.astype(jnp.float32) + 1) * 127.5).astype(jnp.int32)

  def from_index(self, i):
    return i.astype(jnp.float32) / 127.5 - 1

  def check(self, x):
    logistic_mixture.check_eight_bit_grid(x)


@dataclasses.dataclass(frozen=True)
class CodeCategorical(Categorical):
  """VQ-VAE codes stored as floats 0..K-1."""
  num_params: int               # K

  def to_index(self, x):
    return jnp.round(x).astype(jnp.int32)

  def from_index(self, i):
    return i.astype(jnp.float32)


@dataclasses.dataclass(frozen=True)
class GaussianMixture(Head):
  num_mixtures: int
  kind = 'density'

  @property
  def num_params(self) -> int:
    return 3 * self.num_mixtures

  def split(self, out):
    k = self.num_mixtures
    out = out.astype(jnp.float32)
    return out[..., :k], out[..., k:2 * k], jnp.maximum(out[..., 2 * k:], -7.0)

  def log_prob(self, out, x):
    logits, means, log_std = self.split(out)
    z = (x[..., None] - means) * jnp.exp(-log_std)
    comp = -0.5 * z * z - log_std - 0.5 * math.log(2 * math.pi)
    return jax.nn.logsumexp(jax.nn.log_softmax(logits, -1) + comp, axis=-1)

  def sample(self, key, out):
    logits, means, log_std = self.split(out)
    k_mix, k_val = jax.random.split(key)
    comp = jax.random.categorical(k_mix, logits, axis=-1)[..., None]
    mu = jnp.take_along_axis(means, comp, -1)[..., 0]
    std = jnp.exp(jnp.take_along_axis(log_std, comp, -1)[..., 0])
    return mu + std * jax.random.normal(k_val, mu.shape)


@dataclasses.dataclass(frozen=True)
class LogisticMixture(Head):
  """PixelCNN++'s discretized logistic mixture over whole pixels of `channels` channels."""
  channels: int
  num_mixtures: int
  pixel_wise = True

  @property
  def num_params(self) -> int:
    return logistic_mixture.num_params(self.channels, self.num_mixtures)

  def log_prob(self, out, x):
    return logistic_mixture.pixel_log_prob(out, x, self.num_mixtures)

  def sample(self, key, out):
    return logistic_mixture.sample_pixel(key, out, self.channels, self.num_mixtures)

  def check(self, x):
    logistic_mixture.check_eight_bit_grid(x)


# model.likelihood -> builder(channels of the grid, model.num_mixtures) -> Head
HEADS = {
    'bernoulli': lambda channels, num_mixtures: Bernoulli(),
    'categorical': lambda channels, num_mixtures: EightBitCategorical(),
    'gaussian_mixture': lambda channels, num_mixtures: GaussianMixture(num_mixtures),
    'logistic_mixture': LogisticMixture,
}
