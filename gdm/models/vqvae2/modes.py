"""The VQ-VAE-2's launcher modes (`--mode=NAME`): mode(v, params, model_state, batch, key)
-> {name: array} on a prepared evaluation batch."""
from gdm.models.vqvae2 import family


def reconstruct(v, params, model_state, batch, key):
  """`--mode=reconstruct`: the batch and its reconstructions (rFID through
  `experiments.evaluate --mode=reconstructions`)."""
  del key
  x = batch['x']
  return {'inputs': x, 'reconstructions': family.reconstruct(v, params, model_state, x)}


def codes(v, params, model_state, batch, key):
  """`--mode=codes`: the top and bottom integer code maps of the batch."""
  del key
  return family.codes_of(v, params, model_state, batch['x'])


MODES = {'reconstruct': reconstruct, 'codes': codes}
