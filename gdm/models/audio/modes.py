"""The audio launcher's extra modes (`--mode=NAME`): mode(a, params, model_state, batch, key)
-> {name: clips [N, T]} on a prepared evaluation batch (written as .npz, .wav and PNG)."""
import numpy as np

from gdm.models.audio import family

NUM_CLIPS = 8


def continue_(a: family.Audio, params, model_state, batch, key):
  """`--mode=continue`: the first `model.prime_samples` samples (a quarter by default) of
  evaluation clips given, the rest drawn by the model: {'continuation', 'original'}."""
  del model_state
  x = batch['x'][:NUM_CLIPS]
  y = family.labels(a, batch)
  y = None if y is None else y[:NUM_CLIPS]
  length = a.info.shape[0]
  prime = a.m.prime_samples or length // 4
  levels = family.to_levels(x)
  canvas = levels * (np.arange(length) < prime)
  filled = family.complete(a, params, y, key, canvas, np.full(x.shape[0], prime))
  return {'continuation': family.to_waveform(filled), 'original': family.to_waveform(levels)}


MODES = {'continue': continue_}
