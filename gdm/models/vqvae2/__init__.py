"""VQ-VAE-2 (Razavi et al., 2019): the two-level codec, which gdm.models.vqvae2_prior's two
priors load frozen.

config.py  the `model` section (VQVAE2Config) and its checks against the data
nets.py    the bottom / top encoders, the top decoder and the decoder
family.py  the model's functions: losses with two EMA codebooks, code maps, evaluation
modes.py   the launcher's extra modes (reconstruct, codes)
Here they are bound into the trainer's `Model`, one player.
"""
from gdm.models.binding import one_player_model
from gdm.models.vqvae2 import family, modes
from gdm.models.vqvae2.config import VQVAE2Config
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer


def make(run: RunConfig, info) -> Model:
  v = family.build(run, info)
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  return one_player_model(family, v, optimizer, modes.MODES)


FAMILY = Family('vqvae2', VQVAE2Config, make)
