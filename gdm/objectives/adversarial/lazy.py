"""Lazy regularisation (Karras et al., 2020, Sec. 3.1 and Appendix B; the official code's
training_loop.py): a regulariser runs as its own optimizer update once every k minibatches
instead of in every loss, with its weight multiplied by k to keep its average strength.
Each k minibatches then make k + 1 updates of the player with one shared Adam state, so the
optimizer's hyperparameters are adjusted by c = k / (k + 1): learning rate c lr, betas
beta^c, which keeps the moments' decay per minibatch (beta^c)^(k+1) = beta^k per k
minibatches. StyleGAN2: k = 16 for R1 on the discriminator, k = 4 for the generator's path
length term.
"""
import jax


def ratio(interval: int) -> float:
  """c = k / (k + 1), the official mb_ratio."""
  return interval / (interval + 1)


def adjusted_adam(learning_rate: float, b1: float, b2: float,
                  interval: int) -> tuple[float, float, float]:
  """(c lr, b1^c, b2^c) for a player regularised every `interval` minibatches."""
  c = ratio(interval)
  return learning_rate * c, b1 ** c, b2 ** c


def due(interval: int, step: jax.Array) -> jax.Array:
  """Whether the regulariser runs at this step (the official running_mb_counter % k == 0,
  so it runs at the first step)."""
  return step % interval == 0
