"""The first stage's latent regularisers by name (model.regularizer): one file each.

  kl.py    kl    a diagonal Gaussian posterior with a weighted KL to N(0, I) (LDM's KL-reg.)
  vq.py    vq    an EMA codebook the decoder quantizes with (LDM's VQ-reg.)
  none.py  none  no regulariser (a plain autoencoder; the identity first stage)

A regulariser is built from its settings section (None for 'none') and offers:
  encoder_channels(z)     the encoder's output channels for z latent channels
  init_state(key, z)      its model state (the EMA codebook)
  train(h, key, state, update) -> (decoder input, per-example penalty [B], metrics, state):
                          the training pass on the encoder's output h; `update` moves the
                          state (the codebook) as only a training step may
  latent(h, key, state)   the latent a diffusion model sees (a posterior draw, z_e)
  to_decoder(z, state)    what the decoder reads for a latent z (quantized for vq)
"""
from gdm.models.first_stage.regularizers import kl, none, vq

REGULARIZERS = {'kl': kl.KL, 'vq': vq.VQ, 'none': none.Plain}
