"""Samplers by name: an explicit dict. Each sampler is one compiled program (the loop over
steps is a lax.scan / fori_loop) over a plain function of arrays, so a trained network, a
guided one or an exact score (the tests' Gaussian data) plug in alike.

  discrete.py    ancestral, ddim          eps_fn(x, t) -> (eps_hat, log_var) on a DDPM schedule
  langevin.py    langevin                 score_fn(x, i) over NCSN's noise levels
  continuous.py  euler_maruyama, pc, ode  score_fn(x, t) of an SDE (and its ODE likelihood)
  heun.py        heun                     denoiser(x, sigma) on EDM's sigma grid, with churn

A `Sampler` entry runs as run(process, key, fn, x_init, steps, options) -> samples: `fn` is
what the process's `model_fn` gives, `x_init` a draw of its prior, `steps` model.sample_steps,
`options` the sampler's own config section (model.<options>) or None. It reads what it needs
off the process (its file says what: a schedule, noise levels, an SDE); each process lists
the samplers it supports (gdm.diffusion.processes).
"""
import dataclasses
from typing import Callable

from gdm.diffusion.samplers import continuous, discrete, heun, langevin
from gdm.diffusion.samplers.continuous import (TRACES, euler_maruyama, langevin_correct,
                                               ode_log_likelihood, ode_sample,
                                               predictor_corrector)
from gdm.diffusion.samplers.discrete import check_steps, ddim, ddpm_ancestral, spaced_timesteps
from gdm.diffusion.samplers.langevin import annealed_langevin

__all__ = ['SAMPLERS', 'Sampler', 'TRACES', 'annealed_langevin', 'check_steps', 'ddim',
           'ddpm_ancestral', 'euler_maruyama', 'langevin_correct', 'ode_log_likelihood',
           'ode_sample', 'predictor_corrector', 'spaced_timesteps']


@dataclasses.dataclass(frozen=True)
class Sampler:
  run: Callable                   # run(process, key, fn, x_init, steps, options) -> samples
  check: Callable | None = None   # check(process, steps): a one-line ValueError, before compile
  options: str = ''               # its config section (model.<options>); '' = none


SAMPLERS = {
    'ancestral': Sampler(discrete.run_ancestral, discrete.check_ancestral),
    'ddim': Sampler(discrete.run_ddim, discrete.check_ddim, 'ddim'),
    'langevin': Sampler(langevin.run_langevin, None, 'langevin'),
    'euler_maruyama': Sampler(continuous.run_euler_maruyama, continuous.check_sde_steps),
    'pc': Sampler(continuous.run_pc, continuous.check_sde_steps, 'pc'),
    'ode': Sampler(continuous.run_ode, continuous.check_sde_steps),
    'heun': Sampler(heun.run_heun, None, 'heun'),
}
