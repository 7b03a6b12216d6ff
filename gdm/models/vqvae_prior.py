"""New VQ-VAE images from a trained prior over its code maps (van den Oord et al., 2017,
section 3.2), for `python -m experiments.vqvae --mode=sample`.

`model.prior_workdir` names a run of experiments/configs/autoregressive/vqvae_prior_*.py
trained on this VQ-VAE's codes. Its newest checkpoint (EMA params) draws code maps in raster
order and decodes them with the frozen copy of the VQ-VAE it was trained on, which it carries
in its model state: the pairing of prior and decoder is the one the prior learned.
"""
import os
from typing import Callable

import jax


def load_prior_sampler(workdir: str) -> Callable[[jax.Array, int], jax.Array]:
  """(key, num) -> [num, H, W, C] images in data space; one-line ValueErrors for a bad run."""
  from gdm.train import experiment   # the trainer imports the families: import late
  if not os.path.isdir(workdir):
    raise ValueError(f'model.prior_workdir={workdir!r} does not exist: train a prior first '
                     '(experiments/configs/autoregressive/vqvae_prior_digits.py)')
  config, family = experiment.load_run(workdir)
  if family != 'autoregressive' or not config.model.get('vqvae_workdir'):
    raise ValueError(f'model.prior_workdir={workdir!r} is a {family!r} run, not a prior over '
                     'VQ-VAE codes (an autoregressive run with model.vqvae_workdir set)')
  exp = experiment.build(config, workdir, family)
  state, step = exp.restore_or_init()
  if step is None:
    raise ValueError(f'model.prior_workdir={workdir!r} has no checkpoint: train it first')
  params, model_state = jax.device_get((state.ema_params, state.model_state))
  return lambda key, num: exp.model.sample(params, model_state, key, num, None)
