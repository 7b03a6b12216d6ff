"""Progressive GAN's drift penalty (Karras et al., 2018, Appendix A.1): the WGAN-GP critic's
loss adds eps_drift * E[D(x)^2] on real data (eps_drift = 0.001), which keeps the critic's
output from drifting far from zero; it does not change the optimum."""
import jax
import jax.numpy as jnp


def drift_penalty(real: jax.Array) -> jax.Array:
  """Per-example D(x)^2 of the real scores [B]."""
  return jnp.square(real.astype(jnp.float32))
