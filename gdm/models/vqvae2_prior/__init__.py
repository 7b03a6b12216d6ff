"""VQ-VAE-2's priors (Razavi et al., 2019): a top prior and a bottom prior conditioned on the
top codes, over the codes of a frozen experiments.vqvae2 run; sampling runs top prior,
bottom prior, decoder.

config.py  the `model` section (VQVAE2PriorConfig: the codec, one net section per prior)
family.py  the model's functions: both priors' losses, evaluation, sampling
The nets are gdm/nn/vqvae2_priors.py's, used through the autoregressive family's grid
interface. Here they are bound into the trainer's `Model`: two players, 'top' and 'bottom'
(each with train.optimizer), updated one after the other every step.
"""
import functools

from gdm.models.binding import bind_model
from gdm.models.vqvae2_prior import family
from gdm.models.vqvae2_prior.config import VQVAE2PriorConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer
from gdm.train.players import Player


def make(run: RunConfig, info) -> Model:
  pr = family.build(run, info)
  players = [Player(level, functools.partial(family.level_loss, pr, level),
                    make_optimizer(run.train.optimizer, run.train.num_steps))
             for level in family.LEVELS]
  return bind_model(family, pr, players)


FAMILY = Family('vqvae2_prior', VQVAE2PriorConfig, make)
