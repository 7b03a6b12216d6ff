"""Adversarial objectives: losses as pure functions of discriminator outputs, and penalties.

Every discriminator output here is a raw score (a logit for the minimax, non-saturating
and ACGAN terms; a critic value for WGAN and hinge; a regression output for LSGAN). Losses
are per example ([B]); the players average them.

  minimax         D: -log D(x) - log(1 - D(G(z)))     G: log(1 - D(G(z)))   (saturating)
                  (Goodfellow et al., 2014, eq. 1)
  non_saturating  D: as minimax                       G: -log D(G(z))       (ibid., Sec. 3)
  lsgan           D: (D(x) - 1)^2 / 2 + D(G(z))^2 / 2  G: (D(G(z)) - 1)^2 / 2
                  (Mao et al., 2017, eq. 2 with a=0, b=c=1)
  wgan            D: D(G(z)) - D(x)                   G: -D(G(z))  (Arjovsky et al., 2017)
  hinge           D: max(0, 1 - D(x)) + max(0, 1 + D(G(z)))   G: -D(G(z))
                  (Lim & Ye, 2017; Miyato et al., 2018)

with D(.) = sigmoid(score) where a probability is meant: -log sigmoid(s) = softplus(-s)
and -log(1 - sigmoid(s)) = softplus(s), computed stably.

Regularisers: the WGAN-GP gradient penalty on random interpolates of real and fake
(Gulrajani et al., 2017), the R1 penalty on real data (Mescheder et al., 2018), and weight
clipping of the critic (Arjovsky et al., 2017) as an optax transform.
"""
from typing import Callable

import jax
import jax.numpy as jnp
import optax

LOSSES = ('minimax', 'non_saturating', 'lsgan', 'wgan', 'hinge')
REGULARIZERS = ('none', 'gradient_penalty', 'r1')

# Score above which the discriminator calls an example real (for its accuracy).
_DECISION = {'lsgan': 0.5}


def discriminator_terms(name: str, real: jax.Array,
                        fake: jax.Array) -> tuple[jax.Array, jax.Array]:
  """(loss on real scores, loss on fake scores), each per example."""
  if name in ('minimax', 'non_saturating'):
    return jax.nn.softplus(-real), jax.nn.softplus(fake)
  if name == 'lsgan':
    return 0.5 * (real - 1.0) ** 2, 0.5 * fake ** 2
  if name == 'wgan':
    return -real, fake
  if name == 'hinge':
    return jax.nn.relu(1.0 - real), jax.nn.relu(1.0 + fake)
  raise ValueError(f'unknown GAN loss {name!r}; choose one of: {", ".join(LOSSES)}')


def discriminator_loss(name: str, real: jax.Array, fake: jax.Array) -> jax.Array:
  """Per-example discriminator loss: real example i and fake example i."""
  on_real, on_fake = discriminator_terms(name, real, fake)
  return on_real + on_fake


def generator_loss(name: str, fake: jax.Array) -> jax.Array:
  """Per-example generator loss on the scores of its samples."""
  if name == 'minimax':
    return -jax.nn.softplus(fake)              # log(1 - sigmoid(s))
  if name == 'non_saturating':
    return jax.nn.softplus(-fake)              # -log sigmoid(s)
  if name == 'lsgan':
    return 0.5 * (fake - 1.0) ** 2
  if name in ('wgan', 'hinge'):
    return -fake
  raise ValueError(f'unknown GAN loss {name!r}; choose one of: {", ".join(LOSSES)}')


def accuracy(name: str, real: jax.Array, fake: jax.Array) -> jax.Array:
  """Per-example share of the pair (real i, fake i) the discriminator gets right."""
  t = _DECISION.get(name, 0.0)
  return 0.5 * ((real > t).astype(jnp.float32) + (fake <= t).astype(jnp.float32))


def input_gradients(critic: Callable[[jax.Array], jax.Array], x: jax.Array) -> jax.Array:
  """d critic(x)_i / d x_i for every example. The gradient of the sum is the per-example
  gradient because the critic treats examples independently (no batch statistics)."""
  return jax.grad(lambda v: critic(v).sum())(x)


def _squared_norms(g: jax.Array) -> jax.Array:
  return jnp.sum(g.reshape(g.shape[0], -1).astype(jnp.float32) ** 2, axis=1)


def interpolate(real: jax.Array, fake: jax.Array, key: jax.Array) -> jax.Array:
  """eps * real + (1 - eps) * fake with one eps ~ U[0, 1] per example."""
  eps = jax.random.uniform(key, (real.shape[0],) + (1,) * (real.ndim - 1), real.dtype)
  return eps * real + (1.0 - eps) * fake


def gradient_penalty(critic: Callable, real: jax.Array, fake: jax.Array,
                     key: jax.Array) -> jax.Array:
  """Per-example (||grad critic(x_hat)|| - 1)^2 at x_hat = interpolate(real, fake, key); the
  WGAN-GP loss adds lambda times its mean (lambda = 10 in the paper)."""
  g = input_gradients(critic, interpolate(real, fake, key))
  # sqrt(s + tiny): finite gradient even where the critic is flat (s = 0).
  return (jnp.sqrt(_squared_norms(g) + 1e-12) - 1.0) ** 2


def r1_penalty(critic: Callable, real: jax.Array) -> jax.Array:
  """Per-example ||grad critic(x)||^2 on real data; the loss adds gamma / 2 times its mean."""
  return _squared_norms(input_gradients(critic, real))


def clip_weights(limit: float) -> optax.GradientTransformation:
  """Makes every updated parameter land in [-limit, limit] (WGAN's critic clipping). Chain
  it last: it turns the update into (clip(params + update) - params)."""

  def update(updates, state, params=None):
    if params is None:
      raise ValueError('clip_weights needs the params')
    new = jax.tree.map(lambda p, u: jnp.clip(p + u, -limit, limit) - p, params, updates)
    return new, state

  return optax.GradientTransformation(lambda params: optax.EmptyState(), update)


def classification_loss(logits: jax.Array, labels: jax.Array) -> jax.Array:
  """Per-example cross entropy -log softmax(logits)[label] (ACGAN's auxiliary classifier)."""
  return optax.softmax_cross_entropy_with_integer_labels(logits, labels)


def info_log_likelihood(cat_logits: jax.Array | None, cat_code: jax.Array | None,
                        cont_mean: jax.Array | None, cont_code: jax.Array | None) -> jax.Array:
  """Per-example log Q(c | x) of InfoGAN's recognition network: a softmax over the
  categorical code and a unit-variance factored Gaussian over the continuous codes
  (Chen et al., 2016). With H(c) it gives the lower bound L_I = E log Q(c|x) + H(c) on the
  mutual information I(c; G(z, c))."""
  out = 0.0
  if cat_logits is not None:
    out = out - classification_loss(cat_logits, cat_code)
  if cont_mean is not None:
    out = out + jnp.sum(-0.5 * (cont_code - cont_mean) ** 2 - 0.5 * jnp.log(2 * jnp.pi), -1)
  return out


def info_code_entropy(num_categories: int, num_continuous: int) -> float:
  """H(c) of a uniform categorical code and continuous codes uniform on [-1, 1]."""
  cat = jnp.log(num_categories) if num_categories else 0.0
  return float(cat + num_continuous * jnp.log(2.0))
