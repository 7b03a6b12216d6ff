"""Hinge GAN (Lim & Ye, 2017; Miyato et al., 2018): D: max(0, 1 - D(x)) + max(0, 1 + D(G(z))),
G: -D(G(z)) as WGAN's."""
import jax

from gdm.objectives.adversarial import wgan
from gdm.objectives.adversarial.pair import LossPair


def d_on_real(real):
  return jax.nn.relu(1.0 - real)


def d_on_fake(fake):
  return jax.nn.relu(1.0 + fake)


def d_loss(real, fake):
  return d_on_real(real) + d_on_fake(fake)


HINGE = LossPair(d_loss, wgan.g_loss)
