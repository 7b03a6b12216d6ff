"""Variational autoencoders (MLP, conv, beta-VAE, conditional, IWAE and other ELBO variants).

config.py  the `model` section (VAEConfig) and its checks against the data and the run
nets.py    the encoder/decoder network (VAENet)
family.py  the model's functions: loss, evaluation, sampling, pictures
modes.py   the launcher's extra modes
The training objectives themselves are gdm.objectives.elbo_variants, one file each.
Here the functions are bound into the trainer's `Model`.
"""
import functools

from gdm.models.vae import family, modes
from gdm.models.vae.config import VAEConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer
from gdm.train.players import Player


def make(run: RunConfig, info) -> Model:
  vae = family.build(run, info)
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  bind = functools.partial
  return Model(init=bind(family.init, vae),
               players=(Player('model', bind(family.loss, vae), optimizer),),
               evaluate=bind(family.evaluate, vae), sample=bind(family.sample, vae),
               visualize=bind(family.visualize, vae),
               modes={name: bind(fn, vae) for name, fn in modes.modes_of(vae).items()})


FAMILY = Family('vae', VAEConfig, make)
