"""The VQ-VAE's launcher modes (`--mode=NAME`): mode(v, params, model_state, batch, key)
-> {name: array} on a prepared evaluation batch; `captions` labels the pictures."""
from gdm.models.vqvae import family
from gdm.utils.captions import GridLabels


def reconstruct(v, params, model_state, batch, key):
  """`--mode=reconstruct`: every input of the batch and its reconstruction."""
  del key
  return {'x': batch['x'], 'reconstruction': family.reconstruct(v, params, model_state,
                                                                 batch['x'])}


def codes(v, params, model_state, batch, key):
  """`--mode=codes`: integer code maps [B, h, w] of the batch, the training data of a prior
  over codes. (Its picture: one colour per code index.)"""
  del key
  return {'codes': family.codes_of(v, params, model_state, batch['x'])}


MODES = {'reconstruct': reconstruct, 'codes': codes}


def captions(v) -> dict[str, GridLabels]:
  return {'reconstruction': GridLabels(rows=('input', 'reconstruction'))}
