"""Least-squares GAN (Mao et al., 2017, eq. 2 with a=0, b=c=1) on D's regression output:
D: (D(x) - 1)^2 / 2 + D(G(z))^2 / 2, G: (D(G(z)) - 1)^2 / 2. D calls a score real above 0.5,
halfway between its targets."""
from gdm.objectives.adversarial.pair import LossPair


def d_on_real(real):
  return 0.5 * (real - 1.0) ** 2


def d_on_fake(fake):
  return 0.5 * fake ** 2


def d_loss(real, fake):
  return d_on_real(real) + d_on_fake(fake)


def g_loss(real, fake):
  del real
  return 0.5 * (fake - 1.0) ** 2


LSGAN = LossPair(d_loss, g_loss, threshold=0.5)
