"""Energy-based models: contrastive divergence with SGLD, replay buffer or short-run chains.

config.py  the `model` section (EBMConfig: net, sgld, buffer, sampling, restore) and its
           checks against the data and batch sizes
nets.py    the energy networks (MLP for vectors, spectrally normalised ResNet for images)
family.py  the model's functions: energy, chains, loss, evaluation, sampling, pictures
modes.py   the launcher's extra modes (denoise, inpaint, ood; conditional)
Here they are bound into the trainer's `Model`, one player.
"""
import functools

from gdm.models.ebm import family, modes
from gdm.models.ebm.config import EBMConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer
from gdm.train.players import Player


def make(run: RunConfig, info) -> Model:
  ebm = family.build(run, info)
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  bind = functools.partial
  return Model(init=bind(family.init, ebm),
               players=(Player('model', bind(family.loss, ebm), optimizer),),
               evaluate=bind(family.evaluate, ebm), sample=bind(family.sample, ebm),
               visualize=bind(family.visualize, ebm),
               modes={name: bind(fn, ebm) for name, fn in modes.modes_of(ebm).items()})


FAMILY = Family('ebm', EBMConfig, make)
