"""The VQ-VAE family as launchers see it: new images from a trained prior over its code maps
(van den Oord et al., 2017, section 3.2), for `python -m experiments.vqvae --mode=sample`.

`model.prior_workdir` names a run of experiments/configs/autoregressive/vqvae_prior_*.py
trained on this VQ-VAE's codes. Its newest checkpoint (EMA params) draws code maps in raster
order and decodes them with the frozen copy of the VQ-VAE it was trained on, which it carries
in its model state: the pairing of prior and decoder is the one the prior learned. Kept apart
from gdm.models.vqvae (the codec) so that the codec the prior loads does not depend on the
prior: vqvae_prior -> autoregressive -> vqvae, and vqvae_prior -> vqvae.
"""
import dataclasses
import functools
from typing import Any

import jax

from gdm.models import autoregressive, vqvae
from gdm.models.vqvae.config import VQVAEConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.restore import restore_run


@dataclasses.dataclass(frozen=True, eq=False)
class Prior:
  """A restored prior over the codes: its model and its EMA params on the host."""
  model: Model
  params: Any
  model_state: Any


def load_prior(workdir: str) -> Prior:
  prior = restore_run(workdir, autoregressive.FAMILY, 'model.prior_workdir')
  if not prior.config.model.vqvae_workdir:
    raise ValueError(f'model.prior_workdir={workdir!r} is not a prior over VQ-VAE codes (an '
                     'autoregressive run with model.vqvae_workdir set)')
  params, model_state = jax.device_get((prior.params, prior.model_state))
  return Prior(prior.model, params, model_state)


def sample(prior: Prior, params, model_state, key, num, reference):
  """The prior's draws decoded by its own copy of the VQ-VAE (this run's params unused)."""
  del params, model_state, reference
  return prior.model.sample(prior.params, prior.model_state, key, num, None)


def make(run: RunConfig, info) -> Model:
  model = vqvae.make(run, info)
  if not run.model.prior_workdir:
    return model
  return dataclasses.replace(model, sample=functools.partial(
      sample, load_prior(run.model.prior_workdir)))


FAMILY = Family('vqvae', VQVAEConfig, make)
