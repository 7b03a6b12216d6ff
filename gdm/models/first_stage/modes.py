"""The first stage's launcher modes (`--mode=NAME`): mode(fs, params, model_state, batch,
key) -> {name: array} on a prepared evaluation batch."""
from gdm.models.first_stage import family


def reconstruct(fs, params, model_state, batch, key):
  """`--mode=reconstruct`: every input of the batch and its reconstruction (what
  `experiments.evaluate --mode=reconstructions` scores as rFID)."""
  x = batch['x']
  return {'inputs': x, 'reconstructions': family.reconstruct(fs, params, model_state, x, key)}


def latents(fs, params, model_state, batch, key):
  """`--mode=latents`: the latents [B, h, w, z] of the batch (a cached latent dataset)."""
  return {'latents': family.encode(fs, params, model_state, batch['x'], key)}


MODES = {'reconstruct': reconstruct, 'latents': latents}
