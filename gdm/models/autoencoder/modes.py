"""The autoencoder's launcher modes (`--mode=NAME`): mode(ae, params, model_state, batch, key)
-> {name: array} on a prepared evaluation batch."""
from gdm.models.autoencoder import family


def reconstruct(ae, params, model_state, batch, key):
  """`--mode=reconstruct`: every input of the batch and its reconstruction."""
  x = batch['x']
  return {'inputs': x, 'reconstructions': family.reconstruct_data(ae, params, x)}


MODES = {'reconstruct': reconstruct}
