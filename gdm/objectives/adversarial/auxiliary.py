"""Auxiliary terms of conditional and InfoGAN discriminators: ACGAN's class cross entropy
(Odena et al., 2017) and InfoGAN's variational mutual-information bound (Chen et al., 2016)."""
import jax
import jax.numpy as jnp
import optax


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
