"""Energy-based models: contrastive divergence with SGLD, replay buffer or short-run chains.

config.py  the `model` section (EBMConfig: net, sgld, buffer, sampling, restore) and its
           checks against the data and batch sizes
nets.py    the energy networks (MLP for vectors, spectrally normalised ResNet for images)
family.py  the model's functions: energy, chains, loss, evaluation, sampling, pictures
modes.py   the launcher's extra modes (denoise, inpaint, ood; conditional)
Here they are bound into the trainer's `Model`, one player.
"""
from gdm.models.binding import one_player_model
from gdm.models.ebm import family, modes
from gdm.models.ebm.config import EBMConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer


def make(run: RunConfig, info) -> Model:
  ebm = family.build(run, info)
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  return one_player_model(family, ebm, optimizer, modes.modes_of(ebm),
                          captions=modes.captions(ebm))


FAMILY = Family('ebm', EBMConfig, make)
