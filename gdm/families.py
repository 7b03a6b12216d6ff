"""Model families by name: an explicit dict, no registration side effects."""
from gdm.models import (autoencoder, autoregressive, classifier, diffusion, ebm, flow, gan, vae,
                        vqvae)
from gdm.utils.checks import check_choice

FAMILIES = {
    'autoencoder': autoencoder.make,
    'autoregressive': autoregressive.make,
    'classifier': classifier.make,
    'diffusion': diffusion.make,
    'ebm': ebm.make,
    'flow': flow.make,
    'gan': gan.make,
    'vae': vae.make,
    'vqvae': vqvae.make,
}


def get_family(name: str):
  check_choice(name, FAMILIES, 'family')
  return FAMILIES[name]
