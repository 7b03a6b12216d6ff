"""Relativistic standard GANs (Jolicoeur-Martineau, 2019, "The relativistic discriminator: a
key element missing from standard GAN"): D estimates how much more realistic real data is
than fake data, from the critic C (the raw score), and the generator also lowers how real
the real data looks, so its loss needs D's real scores.

  rpgan (relativistic pairing, RSGAN; real i paired with fake i)
    D: -log sigmoid(C(x_r) - C(x_f))                    G: -log sigmoid(C(x_f) - C(x_r))
  ragan (relativistic average, RaSGAN; against the other batch's mean critic value)
    D: -log sigmoid(C(x_r) - mean C(x_f)) - log(1 - sigmoid(C(x_f) - mean C(x_r)))
    G: -log sigmoid(C(x_f) - mean C(x_r)) - log(1 - sigmoid(C(x_r) - mean C(x_f)))

as the paper writes them (the official code halves the RaSGAN losses, a constant factor).
With -log sigmoid(s) = softplus(-s) and -log(1 - sigmoid(s)) = softplus(s). Both are
invariant to a shift of the critic; D's accuracy metric still thresholds raw scores at 0.
"""
import jax

from gdm.objectives.adversarial.pair import LossPair


def pairing_d_loss(real, fake):
  return jax.nn.softplus(fake - real)


def pairing_g_loss(real, fake):
  return jax.nn.softplus(real - fake)


def average_d_loss(real, fake):
  return jax.nn.softplus(fake.mean() - real) + jax.nn.softplus(fake - real.mean())


def average_g_loss(real, fake):
  return average_d_loss(fake, real)    # the same with real and fake swapped


RPGAN = LossPair(pairing_d_loss, pairing_g_loss, g_uses_real=True)
RAGAN = LossPair(average_d_loss, average_g_loss, g_uses_real=True)
