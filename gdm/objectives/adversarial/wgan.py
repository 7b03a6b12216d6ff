"""Wasserstein GAN (Arjovsky et al., 2017) on a critic value: D: D(G(z)) - D(x), G: -D(G(z)).
The critic must be kept Lipschitz: weight clipping or a gradient penalty (regularizers.py)."""
from gdm.objectives.adversarial.pair import LossPair


def d_on_real(real):
  return -real


def d_on_fake(fake):
  return fake


def d_loss(real, fake):
  return d_on_real(real) + d_on_fake(fake)


def g_loss(real, fake):
  """-D(G(z)), also the hinge loss's generator."""
  del real
  return -fake


WGAN = LossPair(d_loss, g_loss)
