"""The autoencoder's launcher modes (`--mode=NAME`): mode(ae, params, model_state, batch, key)
-> {name: array} on a prepared evaluation batch; `captions` labels the pictures."""
from gdm.models.autoencoder import family
from gdm.utils.captions import GridLabels


def reconstruct(ae, params, model_state, batch, key):
  """`--mode=reconstruct`: every input of the batch and its reconstruction."""
  x = batch['x']
  return {'inputs': x, 'reconstructions': family.reconstruct_data(ae, params, x)}


MODES = {'reconstruct': reconstruct}


def captions(ae) -> dict[str, GridLabels]:
  rows = ('input', 'reconstruction')
  if ae.m.corruption != 'none':
    rows = ('input', 'corrupted', 'reconstruction')
  return {'reconstruction': GridLabels(rows=rows)}
