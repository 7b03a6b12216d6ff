"""VQ-regularised latents (Rombach et al., 2022, sec. 3): the encoder's output z_e is what the
diffusion model sees; the decoder quantizes it with an EMA codebook first (the quantization
layer "absorbed by the decoder"). Training adds beta ||z_e - sg(e)||^2 per example and moves
the codebook by EMA (gdm/nn/vector_quantizer.py), restarting dead codes if asked."""
import dataclasses

import jax
import jax.numpy as jnp

from gdm.nn import vector_quantizer as vq


@dataclasses.dataclass(frozen=True)
class VQ:
  s: object                     # VQSettings

  def encoder_channels(self, z_channels: int) -> int:
    return z_channels

  def init_state(self, key, z_channels: int) -> dict:
    return {'quantizer': vq.ema_init(vq.init_codebook(key, self.s.num_codes, z_channels))}

  def train(self, h, key, state, update: bool):
    s = self.s
    h = h.astype(jnp.float32)
    q = vq.quantize(h, state['quantizer']['codebook'])
    counts = vq.code_counts(q['codes'], s.num_codes)
    ones = jnp.ones((h.shape[0],), jnp.float32)
    metrics = {'commitment_loss': q['commitment_loss'],
               'perplexity': vq.perplexity(counts) * ones, 'usage': vq.usage(counts) * ones}
    if update:
      new = vq.ema_update(state['quantizer'], h, q['codes'], s.decay, s.epsilon)
      if s.dead_code_threshold > 0:
        new, restarted = vq.restart_dead_codes(new, h, key, s.decay, s.dead_code_threshold)
        metrics['restarted_codes'] = restarted * ones
      state = {**state, 'quantizer': new}
    return q['z_q'], s.commitment_cost * q['commitment_loss'], metrics, state

  def latent(self, h, key, state):
    del key, state
    return h.astype(jnp.float32)

  def to_decoder(self, z, state):
    codebook = state['quantizer']['codebook']
    return jax.lax.stop_gradient(codebook[vq.nearest_codes(z, codebook)])
