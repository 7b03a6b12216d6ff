"""Spectral normalisation (Miyato et al., 2018) as a switch around any flax layer.

Uses `flax.linen.SpectralNorm`: W / sigma(W), sigma from one power iteration per call whose
vector `u` (and the last sigma) live in the 'batch_stats' collection. A GAN keeps that
collection in the train state's `model_state`; only the discriminator's own update advances
it (`update_stats=True`), every other call reads it. Convolution kernels are reshaped to
[kh * kw * in, out] first, as in the paper.
"""
import flax.linen as nn

COLLECTION = 'batch_stats'


def apply_layer(layer: nn.Module, x, spectral_norm: bool, update_stats: bool):
  """layer(x), with the layer's weights spectrally normalised when `spectral_norm`. Call from
  inside a compact method: the layer (and its SpectralNorm wrapper) become submodules."""
  if not spectral_norm:
    return layer(x)
  return nn.SpectralNorm(layer, collection_name=COLLECTION)(x, update_stats=update_stats)
