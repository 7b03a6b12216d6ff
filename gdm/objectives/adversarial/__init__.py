"""Adversarial objectives: GAN losses as pairs, discriminator regularisers, auxiliary terms.

pair.py          LossPair (the two players' per-example losses, D's decision threshold)
standard.py      minimax and non-saturating (Goodfellow et al., 2014)
lsgan.py         least squares (Mao et al., 2017)
wgan.py          Wasserstein (Arjovsky et al., 2017)
hinge.py         hinge (Lim & Ye, 2017; Miyato et al., 2018)
relativistic.py  relativistic pairing and average (Jolicoeur-Martineau, 2019)
regularizers.py  gradient penalty, R1, weight clipping
auxiliary.py     ACGAN's classifier loss, InfoGAN's mutual-information bound
path_length.py   StyleGAN2's path length regulariser (Karras et al., 2020)
lazy.py          lazy regularisation: its cadence and the optimizer adjustment (ibid.)

Every score here is D's raw output (a logit, a critic value or a regression output); losses
are per example ([B]) and the players average them. A new loss is one LossPair (its own
file) and one entry in LOSSES; a new penalty one term function and one entry in REGULARIZERS.
"""
from gdm.objectives.adversarial import hinge, lsgan, regularizers, relativistic, standard, wgan
from gdm.objectives.adversarial.pair import LossPair
from gdm.utils.checks import check_choice

LOSSES: dict[str, LossPair] = {
    'minimax': standard.MINIMAX,
    'non_saturating': standard.NON_SATURATING,
    'lsgan': lsgan.LSGAN,
    'wgan': wgan.WGAN,
    'hinge': hinge.HINGE,
    'rpgan': relativistic.RPGAN,
    'ragan': relativistic.RAGAN,
}

# name -> term(critic, real, fake, key, weight) -> (added loss term, metrics); 'none' is off.
REGULARIZERS = {
    'gradient_penalty': regularizers.gradient_penalty_term,
    'r1': regularizers.r1_term,
}


def loss_pair(name: str) -> LossPair:
  check_choice(name, LOSSES, 'GAN loss')
  return LOSSES[name]
