"""Contrastive divergence for energy-based models (Hinton, 2002; Du & Mordatch, 2019).

Lower the energy of data, raise the energy of negatives (samples from the model's own
MCMC sampler). The negatives must enter as constants (the caller stops their gradient): the
gradient of E(data) - E(negatives) with respect to the energy's parameters is then the
maximum-likelihood gradient up to the sampler's bias. The L2 regulariser alpha * (E_data^2
+ E_neg^2) keeps energies near zero, without which they drift and the step size that
Langevin dynamics needs changes during training (Du & Mordatch, Sec. 3.3).
"""
import jax
import jax.numpy as jnp


def contrastive_divergence(e_data: jax.Array, e_neg: jax.Array,
                           alpha: float) -> dict[str, jax.Array]:
  """Per-pair terms for data energies e_data [B] and negative energies e_neg [B]:
  'cd' = e_data - e_neg, 'reg' = alpha * (e_data^2 + e_neg^2) and 'loss' = cd + reg,
  computed in float32."""
  e_data, e_neg = e_data.astype(jnp.float32), e_neg.astype(jnp.float32)
  cd = e_data - e_neg
  reg = alpha * (jnp.square(e_data) + jnp.square(e_neg))
  return {'cd': cd, 'reg': reg, 'loss': cd + reg}
