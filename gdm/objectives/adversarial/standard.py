"""The standard GAN (Goodfellow et al., 2014), D(.) = sigmoid(score):

  D: -log D(x) - log(1 - D(G(z)))   (eq. 1)
  minimax (saturating)  G: log(1 - D(G(z)))
  non_saturating        G: -log D(G(z))      (ibid., Sec. 3)

computed stably: -log sigmoid(s) = softplus(-s), -log(1 - sigmoid(s)) = softplus(s).
"""
import jax

from gdm.objectives.adversarial.pair import LossPair


def d_on_real(real):
  return jax.nn.softplus(-real)


def d_on_fake(fake):
  return jax.nn.softplus(fake)


def d_loss(real, fake):
  return d_on_real(real) + d_on_fake(fake)


def saturating_g_loss(real, fake):
  del real
  return -jax.nn.softplus(fake)              # log(1 - sigmoid(s))


def non_saturating_g_loss(real, fake):
  del real
  return jax.nn.softplus(-fake)              # -log sigmoid(s)


MINIMAX = LossPair(d_loss, saturating_g_loss)
NON_SATURATING = LossPair(d_loss, non_saturating_g_loss)
