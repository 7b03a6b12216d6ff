"""VQ-VAE (van den Oord et al., 2017): the codec, which a prior over its codes loads frozen.

config.py  the `model` section (VQVAEConfig) and its checks against the data
nets.py    the encoder and decoder
family.py  the model's functions: losses, evaluation, code maps, sampling, pictures
modes.py   the launcher's extra modes (reconstruct, codes)
Here they are bound into the trainer's `Model`. This package does not know about priors:
launchers use gdm/models/vqvae_prior.py's FAMILY, which adds sampling through a trained prior
over the codes (so this codec, which that prior loads, never depends on the prior).
"""
from gdm.models.binding import one_player_model
from gdm.models.vqvae import family, modes
from gdm.models.vqvae.config import VQVAEConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer


def make(run: RunConfig, info) -> Model:
  v = family.build(run, info)
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  return one_player_model(family, v, optimizer, modes.MODES, captions=modes.captions(v))


FAMILY = Family('vqvae', VQVAEConfig, make)
