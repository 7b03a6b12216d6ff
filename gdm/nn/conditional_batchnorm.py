"""Batch normalisation with per-class scale and shift (de Vries et al., 2017; Miyato &
Koyama, 2018), as the SNGAN / projection-discriminator generators use.

Always normalises with the statistics of the batch it is given (no running averages): GAN
generators are conventionally run this way for training and sampling (the reference DCGAN
code never leaves train mode), and it keeps the generator free of state that its EMA
weights would not match. With num_classes=0 it is plain batch norm with one learned
scale and shift per channel.
"""
import flax.linen as nn
import jax
import jax.numpy as jnp


class ConditionalBatchNorm(nn.Module):
  num_classes: int = 0          # 0 = unconditional
  epsilon: float = 1e-5

  @nn.compact
  def __call__(self, x, y=None):
    axes = tuple(range(x.ndim - 1))
    x32 = x.astype(jnp.float32)
    mean = x32.mean(axes, keepdims=True)
    var = jnp.mean(jnp.square(x32 - mean), axes, keepdims=True)
    normed = (x32 - mean) * jax.lax.rsqrt(var + self.epsilon)
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
