"""Batch normalisation with per-class scale and shift (de Vries et al., 2017; Miyato &
Koyama, 2018), as the SNGAN / projection-discriminator generators use.

`ProjectedBatchNorm` is BigGAN's variant (Brock et al., 2019, Sec. 3 and Appendix B): the
per-example gain 1 + W_g c and bias W_b c are linear in a conditioning vector c (a shared
class embedding and a chunk of the latent), the linear layers bias-free and, in BigGAN,
spectrally normalised.

Both always normalise with the statistics of the batch they are given (no running averages):
GAN generators are conventionally run this way for training and sampling (the reference DCGAN
code never leaves train mode), and it keeps the generator free of state that its EMA
weights would not match. With num_classes=0 it is plain batch norm with one learned
scale and shift per channel.
"""
import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.nn.spectral_norm import apply_layer


def batch_normalize(x: jax.Array, epsilon: float) -> jax.Array:
  """(x - mean) / sqrt(var + eps) over every axis but the last, in float32."""
  axes = tuple(range(x.ndim - 1))
  x32 = x.astype(jnp.float32)
  mean = x32.mean(axes, keepdims=True)
  var = jnp.mean(jnp.square(x32 - mean), axes, keepdims=True)
  return (x32 - mean) * jax.lax.rsqrt(var + epsilon)


class ConditionalBatchNorm(nn.Module):
  num_classes: int = 0          # 0 = unconditional
  epsilon: float = 1e-5

  @nn.compact
  def __call__(self, x, y=None):
    normed = batch_normalize(x, self.epsilon)
    c = x.shape[-1]
    if self.num_classes:
      if y is None:
        raise ValueError('ConditionalBatchNorm with num_classes > 0 needs labels y')
      gamma = nn.Embed(self.num_classes, c, embedding_init=nn.initializers.ones,
                       name='scale')(y)
      beta = nn.Embed(self.num_classes, c, embedding_init=nn.initializers.zeros,
                      name='shift')(y)
      shape = (x.shape[0],) + (1,) * (x.ndim - 2) + (c,)
      gamma, beta = gamma.reshape(shape), beta.reshape(shape)
    else:
      gamma = self.param('scale', nn.initializers.ones, (c,))
      beta = self.param('shift', nn.initializers.zeros, (c,))
    return (normed * gamma + beta).astype(x.dtype)


class ProjectedBatchNorm(nn.Module):
  """Batch norm whose gain 1 + W_g c and bias W_b c come from a vector c [B, D]."""
  spectral_norm: bool = False
  epsilon: float = 1e-5
  kernel_init: nn.initializers.Initializer = nn.initializers.orthogonal()

  @nn.compact
  def __call__(self, x, c, update_stats=False):
    ch = x.shape[-1]
    shape = (x.shape[0],) + (1,) * (x.ndim - 2) + (ch,)

    def linear(name):
      layer = nn.Dense(ch, use_bias=False, kernel_init=self.kernel_init, name=name)
      out = apply_layer(layer, c.astype(jnp.float32), self.spectral_norm, update_stats)
      return out.reshape(shape)

    normed = batch_normalize(x, self.epsilon)
    return (normed * (1.0 + linear('gain')) + linear('bias')).astype(x.dtype)
