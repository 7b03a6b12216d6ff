"""Normalizing flows (NICE, RealNVP, Glow, MAF/IAF, continuous flows).

config.py  the `model` section (FlowConfig, with model.multiscale/glow/cnf sub-sections) and
           its checks against the rest of the run
nets.py    the architectures: one ARCHITECTURES entry per kind, built as one Bijector
family.py  the model's functions: loss, evaluation, sampling, pictures
modes.py   the launcher's extra modes (anomaly, interpolate, temperature)
Here they are bound into the trainer's `Model`: one player, and the kind's parameter check.
"""
from gdm.models.binding import one_player_model
from gdm.models.flow import family, modes, nets
from gdm.models.flow.config import FlowConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer


def make(run: RunConfig, info) -> Model:
  f = family.build(run, info)
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  return one_player_model(family, f, optimizer, modes.MODES,
                          check_params=nets.ARCHITECTURES[f.m.kind].check_params,
                          captions=modes.captions(f))


FAMILY = Family('flow', FlowConfig, make)
