"""What an autoregressive network's outputs mean: the conditional distribution of one
element given its predecessors, its log-probability and an exact sampler.

Element-wise heads (one distribution per subpixel / vector entry; network output
[..., P] per element):
  bernoulli          binary pixels, P = 1 logit
  categorical        V-way softmax: 8-bit pixels in [-1, 1] (V = 256) or VQ-VAE codes
  gaussian_mixture   real-valued entries (2-D toys), P = 3K: logits, means, log stds
Pixel-wise head (one distribution per whole pixel, output [..., P] per pixel):
  logistic_mixture   PixelCNN++ (gdm/objectives/logistic_mixture.py)
"""
import dataclasses
import math
from typing import Callable

import jax
import jax.numpy as jnp

from gdm.objectives import decoder_likelihoods as lik
from gdm.objectives import logistic_mixture

HEADS = ('bernoulli', 'categorical', 'gaussian_mixture', 'logistic_mixture')


@dataclasses.dataclass(frozen=True)
class Head:
  name: str
  num_params: int           # P per element (or per pixel when pixel_wise)
  pixel_wise: bool
  # log_prob(out [..., P], x [...] (pixel-wise: [..., C])) -> [...] nats
  log_prob: Callable[[jax.Array, jax.Array], jax.Array]
  # sample(key, out [..., P]) -> values [...] (pixel-wise: [..., C]) in data space
  sample: Callable[[jax.Array, jax.Array], jax.Array]
  check: Callable[[jax.Array], None]   # one-line error on data the head cannot score


def _no_check(x):
  del x


def bernoulli() -> Head:
  def log_prob(out, x):
    lik.check_binary(x)
    logits = out[..., 0].astype(jnp.float32)
    return x * logits - jax.nn.softplus(logits)

  def sample(key, out):
    return jax.random.bernoulli(key, jax.nn.sigmoid(out[..., 0])).astype(jnp.float32)

  return Head('bernoulli', 1, False, log_prob, sample, lik.check_binary)


def categorical(num_values: int, to_index: Callable, from_index: Callable,
                check: Callable = _no_check) -> Head:
  def log_prob(out, x):
    check(x)
    idx = to_index(x)
    logp = jax.nn.log_softmax(out.astype(jnp.float32), axis=-1)
    return jnp.take_along_axis(logp, idx[..., None], axis=-1)[..., 0]

  def sample(key, out):
    return from_index(jax.random.categorical(key, out.astype(jnp.float32), axis=-1))

  return Head('categorical', num_values, False, log_prob, sample, check)


def eight_bit_categorical() -> Head:
  """256 values of pixels scaled to [-1, 1] (value v at 2v/255 - 1)."""
  return categorical(
      256, lambda x: jnp.round((x.astype(jnp.float32) + 1) * 127.5).astype(jnp.int32),
      lambda i: i.astype(jnp.float32) / 127.5 - 1, logistic_mixture.check_eight_bit_grid)


def code_categorical(num_codes: int) -> Head:
  """VQ-VAE codes stored as floats 0..K-1."""
  return categorical(num_codes, lambda x: jnp.round(x).astype(jnp.int32),
                     lambda i: i.astype(jnp.float32))


def gaussian_mixture(num_mixtures: int) -> Head:
  k = num_mixtures

  def split(out):
    out = out.astype(jnp.float32)
    return out[..., :k], out[..., k:2 * k], jnp.maximum(out[..., 2 * k:], -7.0)

  def log_prob(out, x):
    logits, means, log_std = split(out)
    z = (x[..., None] - means) * jnp.exp(-log_std)
    comp = -0.5 * z * z - log_std - 0.5 * math.log(2 * math.pi)
    return jax.nn.logsumexp(jax.nn.log_softmax(logits, -1) + comp, axis=-1)

  def sample(key, out):
    logits, means, log_std = split(out)
    k_mix, k_val = jax.random.split(key)
    comp = jax.random.categorical(k_mix, logits, axis=-1)[..., None]
    mu = jnp.take_along_axis(means, comp, -1)[..., 0]
    std = jnp.exp(jnp.take_along_axis(log_std, comp, -1)[..., 0])
    return mu + std * jax.random.normal(k_val, mu.shape)

  return Head('gaussian_mixture', 3 * k, False, log_prob, sample, _no_check)


def pixel_logistic_mixture(channels: int, num_mixtures: int) -> Head:
  return Head('logistic_mixture', logistic_mixture.num_params(channels, num_mixtures), True,
              lambda out, x: logistic_mixture.pixel_log_prob(out, x, num_mixtures),
              lambda key, out: logistic_mixture.sample_pixel(key, out, channels, num_mixtures),
              logistic_mixture.check_eight_bit_grid)
