"""Diffusion processes by name: an explicit dict, one file a process.

  ddpm.py       ddpm              discrete schedule; L_simple / hybrid / vlb; the full bound
  ncsn.py       ncsn              geometric noise levels; annealed Langevin
  score_sde.py  vp, subvp, ve     continuous-time SDEs; the probability-flow ODE likelihood
  edm.py        edm               Karras et al.'s preconditioned denoiser; the Heun sampler
  common.py     ProcessData (what a process is told about the data) and shared steps

A process is a frozen dataclass built by `Entry.build(settings, data)` from its config
section (model.<Entry.section>, the settings dataclass its file defines) and a ProcessData.
The family calls only this interface, so a new process is a new file and an entry here:

  modes                   launcher modes it supports beyond sampling ('inpaint', 'denoise')
  likelihood              'discrete' | 'density': what nll() gives; None: no nll
  output_channels(c)      the network's output channels for data with c channels
  init_state()            its model state (e.g. importance-sampling statistics)
  loss(net_fn, x0, noise, key, state, train) -> (per-example loss [B], metrics, state):
                          key draws the training noise levels; net_fn(x_in, time input) is
                          the network (the process decides both inputs)
  prior_sample(key, shape), model_fn(out_fn)
                          a sampler's start and the function it integrates (eps_fn,
                          score_fn or denoiser: see gdm.diffusion.samplers)
  nll(key, out_fn, x0)    per-example nats (where `likelihood` is set)
  denoised(net_fn, x0, frac, noise) -> (x_t / a, x0_hat): pictures, frac in [0, 1) from
                          little noise to much
"""
import dataclasses
import functools
from typing import Callable

from gdm.diffusion.processes import ddpm, edm, ncsn, score_sde
from gdm.diffusion.processes.common import ProcessData

__all__ = ['Entry', 'PROCESSES', 'ProcessData']


@dataclasses.dataclass(frozen=True)
class Entry:
  section: str                  # its config section: model.<section>
  samplers: tuple[str, ...]     # the SAMPLERS it runs with
  build: Callable               # build(settings, data: ProcessData) -> the process


PROCESSES = {
    'ddpm': Entry('ddpm', ddpm.SAMPLERS, ddpm.DDPM.build),
    'ncsn': Entry('ncsn', ncsn.SAMPLERS, ncsn.NCSN.build),
    'vp': Entry('sde', score_sde.SAMPLERS, functools.partial(score_sde.ScoreSDE.build, 'vp')),
    'subvp': Entry('sde', score_sde.SAMPLERS,
                   functools.partial(score_sde.ScoreSDE.build, 'subvp')),
    've': Entry('sde', score_sde.SAMPLERS, functools.partial(score_sde.ScoreSDE.build, 've')),
    'edm': Entry('edm', edm.SAMPLERS, edm.EDM.build),
}
