"""Model families by name: an explicit dict, no registration side effects."""
from gdm.models import autoencoder

FAMILIES = {
    'autoencoder': autoencoder.make,
}


def get_family(name: str):
  if name not in FAMILIES:
    raise ValueError(f'unknown family {name!r}; choose one of: {", ".join(FAMILIES)}')
  return FAMILIES[name]
