"""No regulariser: the latent is the encoder's output (a plain autoencoder)."""
import dataclasses

import jax.numpy as jnp


@dataclasses.dataclass(frozen=True)
class Plain:
  s: None = None

  def encoder_channels(self, z_channels: int) -> int:
    return z_channels

  def init_state(self, key, z_channels: int) -> dict:
    del key, z_channels
    return {}

  def train(self, h, key, state, update: bool):
    del key, update
    return h, jnp.zeros((h.shape[0],), jnp.float32), {}, state

  def latent(self, h, key, state):
    del key, state
    return h

  def to_decoder(self, z, state):
    del state
    return z
