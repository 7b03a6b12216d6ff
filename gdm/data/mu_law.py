"""mu-law companding and 8-bit quantisation of audio (ITU-T G.711; WaveNet, van den Oord et
al. 2016, section 2.2):

  f(x) = sign(x) ln(1 + mu |x|) / ln(1 + mu),     x in [-1, 1], mu = 255,

then f(x) is quantised to the mu + 1 = 256 codes q = floor((f(x) + 1) / 2 * mu + 1/2) (the
nearest of the levels 2q/mu - 1). Decoding takes a code's level y = 2q/mu - 1 back through
the inverse, x = sign(y) ((1 + mu)^|y| - 1) / mu. Quiet samples get fine steps and loud ones
coarse steps, which is why 256 levels suffice for speech where linear 8 bits do not.

`level` / `code_of_level` convert between codes and their levels in [-1, 1]: the same grid as
8-bit pixels scaled to [-1, 1], so the 8-bit likelihood heads (a 256-way softmax, the
discretized logistic mixture) score mu-law audio unchanged.
"""
import jax.numpy as jnp

MU = 255


def compand(x, mu: int = MU):
  """f(x) for waveform values in [-1, 1] (clipped there first)."""
  x = jnp.clip(jnp.asarray(x, jnp.float32), -1.0, 1.0)
  return jnp.sign(x) * jnp.log1p(mu * jnp.abs(x)) / jnp.log1p(float(mu))


def expand(y, mu: int = MU):
  """The inverse of `compand` on [-1, 1]."""
  y = jnp.asarray(y, jnp.float32)
  return jnp.sign(y) * jnp.expm1(jnp.abs(y) * jnp.log1p(float(mu))) / mu


def encode(x, mu: int = MU):
  """Waveform [...] in [-1, 1] -> int32 codes 0..mu."""
  return jnp.floor((compand(x, mu) + 1) / 2 * mu + 0.5).astype(jnp.int32)


def level(codes, mu: int = MU):
  """Codes 0..mu -> their companded levels 2q/mu - 1 in [-1, 1] (float32)."""
  return jnp.asarray(codes).astype(jnp.float32) * (2.0 / mu) - 1


def code_of_level(y, mu: int = MU):
  """The code whose level is nearest to y (inverse of `level` on its grid)."""
  return jnp.round((jnp.clip(jnp.asarray(y, jnp.float32), -1, 1) + 1) * (mu / 2.0)).astype(
      jnp.int32)


def decode(codes, mu: int = MU):
  """Codes 0..mu -> waveform values in [-1, 1]."""
  return expand(level(codes, mu), mu)
