"""Self-attention block of SAGAN (Zhang et al., 2019, Sec. 3) for feature maps [B, H, W, C].

f = W_f x, g = W_g x, h = W_h x, all 1x1 convolutions to C/8 channels (the paper's k = 8);
beta[i, j] = softmax_i(f_i . g_j) is how much position j attends to position i;
o_j = W_v sum_i beta[i, j] h_i (W_v: 1x1 back to C channels); output y = gamma * o + x with
gamma initialised to 0, so the block starts as the identity and the network learns how
much non-local evidence to use.
"""
import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.nn.spectral_norm import apply_layer


class SelfAttention(nn.Module):
  spectral_norm: bool = False
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, update_stats: bool = False):
    b, hgt, wid, c = x.shape
    key_dim = max(c // 8, 1)

    def conv(features, name, v):
      layer = nn.Conv(features, (1, 1), use_bias=False, dtype=self.dtype, name=name)
      return apply_layer(layer, v, self.spectral_norm, update_stats).reshape(b, hgt * wid, -1)

    f, g, h = conv(key_dim, 'f', x), conv(key_dim, 'g', x), conv(key_dim, 'h', x)
    logits = jnp.einsum('bic,bjc->bji', f, g).astype(jnp.float32)   # [b, j, i]
    beta = jax.nn.softmax(logits, axis=-1).astype(h.dtype)
    o = jnp.einsum('bji,bic->bjc', beta, h).reshape(b, hgt, wid, key_dim)
    o = apply_layer(nn.Conv(c, (1, 1), use_bias=False, dtype=self.dtype, name='v'), o,
                    self.spectral_norm, update_stats)
    gamma = self.param('gamma', nn.initializers.zeros, ())
    return x + gamma * o
