"""LDM-style first stages (Rombach et al., 2022): the autoencoder a latent diffusion model
learns in, trained on its own and then opened frozen (gdm.models.diffusion's
model.autoencoder_workdir).

config.py        the `model` section (FirstStageConfig) and its checks against the data
regularizers/    the latent regularisers (kl, vq, none: REGULARIZERS), one file each
nets.py          the encoder, decoder and PatchGAN discriminator
family.py        the model's functions: losses, encoding, decoding, evaluation, pictures
modes.py         the launcher's extra modes (reconstruct, latents)
Here they are bound into the trainer's `Model`: one player, the autoencoder ('model'), and
with model.adversarial.weight > 0 a second, the discriminator (from start_step on).
"""
import functools

from gdm.models.binding import bind_model
from gdm.models.first_stage import family, modes
from gdm.models.first_stage.config import FirstStageConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer
from gdm.train.players import Player


def make(run: RunConfig, info) -> Model:
  fs = family.build(run, info)
  m = run.model
  if m.net == 'identity':
    raise ValueError("model.net='identity' has nothing to train: it is the first stage of a "
                     'pixel-space control (a diffusion run\'s model.untrained_autoencoder)')
  players = [Player('model', functools.partial(family.loss, fs),
                    make_optimizer(run.train.optimizer, run.train.num_steps))]
  if fs.discriminator is not None:
    a = m.adversarial
    players.append(Player(
        'discriminator', functools.partial(family.discriminator_loss, fs),
        make_optimizer(a.optimizer, max(run.train.num_steps - a.start_step, 1)),
        active=functools.partial(family.adversarial_on, fs)))
  return bind_model(family, fs, players, modes.MODES)


FAMILY = Family('first_stage', FirstStageConfig, make)
