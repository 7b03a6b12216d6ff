"""Normalizing flows (NICE, RealNVP, Glow, MAF/IAF, continuous flows).

config.py  the `model` section (FlowConfig, with model.multiscale/glow/cnf sub-sections) and
           its checks against the rest of the run
nets.py    the architectures: one ARCHITECTURES entry per kind, built as one Bijector
family.py  the model's functions: loss, evaluation, sampling, pictures
modes.py   the launcher's extra modes (anomaly, interpolate, temperature)
Here they are bound into the trainer's `Model`: one player, and the kind's parameter check.
"""
import functools

from gdm.models.flow import family, modes, nets
from gdm.models.flow.config import FlowConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer
from gdm.train.players import Player


def make(run: RunConfig, info) -> Model:
  f = family.build(run, info)
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  bind = functools.partial
  return Model(init=bind(family.init, f),
               players=(Player('model', bind(family.loss, f), optimizer),),
               evaluate=bind(family.evaluate, f), sample=bind(family.sample, f),
               visualize=bind(family.visualize, f),
               modes={name: bind(fn, f) for name, fn in modes.MODES.items()},
               check_params=nets.ARCHITECTURES[f.m.kind].check_params)


FAMILY = Family('flow', FlowConfig, make)
