"""Autoencoders (plain, convolutional, stacked, denoising).

config.py  the `model` section (AutoencoderConfig) and its checks against the data
nets.py    the (encoder, decoder) layers
family.py  the model's functions: losses, evaluation, sampling, pictures
modes.py   the launcher's extra modes
Here they are bound into the trainer's `Model`, one player per layer.
"""
import functools

from gdm.models.binding import bind_model
from gdm.models.autoencoder import family, modes
from gdm.models.autoencoder.config import AutoencoderConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer
from gdm.train.players import Player


def make(run: RunConfig, info) -> Model:
  ae = family.build(run, info)
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  players = tuple(
      Player(name, functools.partial(family.layer_loss, ae, i), optimizer,
             active=functools.partial(family.layer_active, ae, i) if ae.stacked else None)
      for i, name in enumerate(ae.names))
  return bind_model(family, ae, players, modes.MODES, captions=modes.captions(ae))


FAMILY = Family('autoencoder', AutoencoderConfig, make)
