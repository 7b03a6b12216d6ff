"""The VQ-VAE family as launchers see it: new images from a trained prior over its code maps
(van den Oord et al., 2017, section 3.2), for `python -m experiments.vqvae --mode=sample`.

`model.prior_workdir` names a run of experiments/configs/autoregressive/vqvae_prior_*.py
trained on this VQ-VAE's codes. Its newest checkpoint (EMA params) draws code maps in raster
order and decodes them with the frozen copy of the VQ-VAE it was trained on, which it carries
in its model state: the pairing of prior and decoder is the one the prior learned. Kept apart
from gdm.models.vqvae so that the codec the prior loads does not depend on the prior.
"""
import dataclasses

import jax

from gdm.models import autoregressive, vqvae
from gdm.train.model import Family, Model
from gdm.train.restore import restore_run


def make(run, info) -> Model:
  model = vqvae.make(run, info)
  workdir = run.model.get('prior_workdir', '')   # runs from before the key existed lack it
  if not workdir:
    return model
  prior = restore_run(workdir, autoregressive.FAMILY, 'model.prior_workdir')
  if not prior.config.model.get('vqvae_workdir'):
    raise ValueError(f'model.prior_workdir={workdir!r} is not a prior over VQ-VAE codes (an '
                     'autoregressive run with model.vqvae_workdir set)')
  params, model_state = jax.device_get((prior.params, prior.model_state))

  def sample(params_, model_state_, key, num, reference):
    del params_, model_state_, reference
    return prior.model.sample(params, model_state, key, num, None)

  return dataclasses.replace(model, sample=sample)


FAMILY = Family('vqvae', None, make)
