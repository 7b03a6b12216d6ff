"""Variational autoencoders (MLP, conv, beta-VAE, conditional, IWAE and other ELBO variants).

config.py  the `model` section (VAEConfig) and its checks against the data and the run
nets.py    the encoder/decoder network (VAENet)
family.py  the model's functions: loss, evaluation, sampling, pictures
modes.py   the launcher's extra modes
The training objectives themselves are gdm.objectives.elbo_variants, one file each.
Here the functions are bound into the trainer's `Model`.
"""
from gdm.models.binding import one_player_model
from gdm.models.vae import family, modes
from gdm.models.vae.config import VAEConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer


def make(run: RunConfig, info) -> Model:
  vae = family.build(run, info)
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  return one_player_model(family, vae, optimizer, modes.modes_of(vae),
                          captions=modes.captions(vae))


FAMILY = Family('vae', VAEConfig, make)
