"""Diffusion and score-based models: DDPM (L_simple, hybrid / variational bound with learned
variances, importance-sampled t), NCSN and score SDEs (VP, sub-VP, VE), with classifier-free
guidance and super-resolution conditioning. The processes and samplers are pluggable
(gdm.diffusion.processes.PROCESSES, gdm.diffusion.samplers.SAMPLERS).

config.py  the `model` section (DiffusionConfig) and its checks against the data
nets.py    the network (toy MLP or DDPM UNet)
family.py  the model's functions: losses, evaluation, sampling, pictures
modes.py   the launcher's extra modes (inpaint, denoise, super_resolution)
Here they are bound into the trainer's `Model`, one player.
"""
import functools

from gdm.models.diffusion import family, modes
from gdm.models.diffusion.config import DiffusionConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer
from gdm.train.players import Player


def make(run: RunConfig, info) -> Model:
  d = family.build(run, info)
  bind = functools.partial
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  return Model(init=bind(family.init, d),
               players=(Player('model', bind(family.loss_fn, d), optimizer),),
               evaluate=bind(family.evaluate, d), sample=bind(family.sample, d),
               visualize=bind(family.visualize, d),
               modes={name: bind(fn, d) for name, fn in modes.MODES.items()
                      if modes.offered(d, name)},
               captions=modes.captions(d))


FAMILY = Family('diffusion', DiffusionConfig, make)
