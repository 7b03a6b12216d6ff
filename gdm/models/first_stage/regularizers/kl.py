"""KL-regularised latents (Rombach et al., 2022, sec. 3 and appendix G): the encoder gives the
mean and log-variance of q(z|x) = N(mu, diag(sigma^2)); training decodes a reparameterised
draw and adds weight * KL(q(z|x) || N(0, I)) per example (weight ~1e-6: the latents stay
close to the data, only kept from drifting to an arbitrary scale). The diffusion model sees
posterior draws, as LDM's get_first_stage_encoding does."""
import dataclasses
import math

import jax
import jax.numpy as jnp

from gdm.objectives.elbo import gaussian_kl

LOG_VAR_RANGE = (-30.0, 20.0)   # LDM's DiagonalGaussianDistribution clamps log-variances


def posterior(h):
  """Encoder output [..., 2z] -> (mean, log_var), each [..., z]."""
  mean, log_var = jnp.split(h.astype(jnp.float32), 2, axis=-1)
  return mean, jnp.clip(log_var, *LOG_VAR_RANGE)


def draw(key, mean, log_var):
  """mean + sigma * eps; eps drawn flat (XLA:CPU compiles rank >= 3 draws slowly)."""
  eps = jax.random.normal(key, (math.prod(mean.shape),)).reshape(mean.shape)
  return mean + jnp.exp(0.5 * log_var) * eps


@dataclasses.dataclass(frozen=True)
class KL:
  s: object                     # KLSettings

  def encoder_channels(self, z_channels: int) -> int:
    return 2 * z_channels

  def init_state(self, key, z_channels: int) -> dict:
    del key, z_channels
    return {}

  def train(self, h, key, state, update: bool):
    del update
    mean, log_var = posterior(h)
    b = h.shape[0]
    kl = gaussian_kl(mean.reshape(b, -1), log_var.reshape(b, -1))
    return draw(key, mean, log_var), self.s.weight * kl, {'kl': kl}, state

  def latent(self, h, key, state):
    del state
    return draw(key, *posterior(h))

  def to_decoder(self, z, state):
    del state
    return z
