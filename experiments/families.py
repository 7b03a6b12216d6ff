"""Model families by name: an explicit dict, no registration side effects. Only launchers
read it; the library takes a `Family` wherever it builds a model."""
from gdm.models import (audio, autoencoder, autoregressive, classifier, diffusion, ebm,
                        first_stage, flow, gan, translation, vae, vqvae2, vqvae2_prior,
                        vqvae_prior)
from gdm.utils.checks import check_choice

FAMILIES = {f.name: f for f in (
    audio.FAMILY, autoencoder.FAMILY, autoregressive.FAMILY, classifier.FAMILY,
    diffusion.FAMILY, ebm.FAMILY, first_stage.FAMILY, flow.FAMILY, gan.FAMILY,
    translation.FAMILY, vae.FAMILY, vqvae_prior.FAMILY, vqvae2.FAMILY, vqvae2_prior.FAMILY)}


def get_family(name: str):
  check_choice(name, FAMILIES, 'family')
  return FAMILIES[name]
