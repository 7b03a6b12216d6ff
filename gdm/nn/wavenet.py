"""WaveNet (van den Oord et al., 2016, section 2): stacks of dilated causal convolutions with
gated activations tanh(W_f * x + V_f h) * sigmoid(W_g * x + V_g h) (h: a global condition such
as a speaker or class, one-hot), residual connections around every layer and skip
connections summed into a ReLU, 1x1, ReLU, 1x1 output head.

The input x [B, T, V] (one-hot codes) is shifted one step right before the first causal
conv, so the output at t sees only x_<t. A causal conv of kernel k and dilation d computes
out_t = W [x_{t-(k-1)d}, ..., x_{t-d}, x_t] (its taps concatenated, one matmul).

`step` is the same network one time step at a time for fast generation (Paine et al., 2016,
"Fast Wavenet"): every causal conv keeps a queue of its last (k-1)d inputs, a ring buffer
whose slot t mod (k-1)d holds the input of time t, so one step costs one matmul per layer
instead of a pass over the whole sequence. Zero queues are the zero padding of the full
pass, and a step concatenates the same taps in the same order, so both compute the same
function.
"""
import flax.linen as nn
import jax
import jax.numpy as jnp


def shift(x: jax.Array, s: int) -> jax.Array:
  """x [B, T, C] delayed by s steps: out_t = x_{t-s}, zeros before the start."""
  if s == 0:
    return x
  return jnp.pad(x, ((0, 0), (s, 0), (0, 0)))[:, :x.shape[1]]


class CausalConv(nn.Module):
  features: int
  kernel_size: int
  dilation: int = 1
  dtype: jnp.dtype = jnp.float32

  def setup(self):
    self.dense = nn.Dense(self.features, dtype=self.dtype, name='kernel')

  @property
  def queue_length(self) -> int:
    return (self.kernel_size - 1) * self.dilation

  def __call__(self, x):
    k, d = self.kernel_size, self.dilation
    return self.dense(jnp.concatenate([shift(x, (k - 1 - j) * d) for j in range(k)], -1))

  def step(self, x_t, queue, t):
    """x_t [B, C] (the input at time t), queue [B, (k-1)d, C] -> (out_t, queue with x_t)."""
    k, d, size = self.kernel_size, self.dilation, self.queue_length
    if size == 0:
      return self.dense(x_t), queue
    taps = [jax.lax.dynamic_index_in_dim(queue, (t - (k - 1 - j) * d) % size, 1, False)
            for j in range(k - 1)]
    out = self.dense(jnp.concatenate(taps + [x_t], -1))
    return out, jax.lax.dynamic_update_index_in_dim(queue, x_t.astype(queue.dtype), t % size, 1)


class ResidualLayer(nn.Module):
  channels: int
  skip_channels: int
  kernel_size: int
  dilation: int
  residual: bool = True        # the last layer's residual output would go unused
  conditioned: bool = False
  dtype: jnp.dtype = jnp.float32

  def setup(self):
    c, dt = self.channels, self.dtype
    self.conv = CausalConv(2 * c, self.kernel_size, self.dilation, dt, name='dilated')
    if self.conditioned:
      self.cond = nn.Dense(2 * c, use_bias=False, dtype=dt, name='cond')
    if self.residual:
      self.res = nn.Dense(c, dtype=dt, name='res')
    self.skip = nn.Dense(self.skip_channels, dtype=dt, name='skip')

  def _outputs(self, h, z, cond_term):
    if cond_term is not None:
      z = z + cond_term
    gated = jnp.tanh(z[..., :self.channels]) * jax.nn.sigmoid(z[..., self.channels:])
    return (h + self.res(gated) if self.residual else h), self.skip(gated)

  def __call__(self, h, cond):
    """h [B, T, C], cond [B, K] or None -> (next h, skip [B, T, S])."""
    cond_term = self.cond(cond)[:, None] if self.conditioned else None
    return self._outputs(h, self.conv(h), cond_term)

  def step(self, h_t, cond, queue, t):
    z, queue = self.conv.step(h_t, queue, t)
    h, skip = self._outputs(h_t, z, self.cond(cond) if self.conditioned else None)
    return h, skip, queue


class WaveNet(nn.Module):
  num_params: int              # outputs per time step
  num_values: int = 256        # width of the one-hot input
  channels: int = 32           # residual channels
  skip_channels: int = 64
  head_channels: int = 64
  dilations: tuple[int, ...] = (1, 2, 4, 8)
  kernel_size: int = 2
  input_kernel_size: int = 2
  conditioned: bool = False
  dtype: jnp.dtype = jnp.float32

  def setup(self):
    dt = self.dtype
    self.input_conv = CausalConv(self.channels, self.input_kernel_size, 1, dt, name='input')
    last = len(self.dilations) - 1
    self.layers = [ResidualLayer(self.channels, self.skip_channels, self.kernel_size, d,
                                 i < last, self.conditioned, dt, name=f'layer{i}')
                   for i, d in enumerate(self.dilations)]
    self.hidden = nn.Dense(self.head_channels, dtype=dt, name='head_hidden')
    self.out = nn.Dense(self.num_params, dtype=dt, name='head_out')

  @property
  def receptive_field(self) -> int:
    """Past inputs an output depends on (the shift adds one)."""
    return 1 + (self.input_kernel_size - 1) + sum((self.kernel_size - 1) * d
                                                  for d in self.dilations)

  def _head(self, skips):
    return self.out(jax.nn.relu(self.hidden(jax.nn.relu(skips)))).astype(jnp.float32)

  def __call__(self, x, cond=None):
    """x [B, T, V] one-hot codes, cond [B, K] or None -> outputs [B, T, P]."""
    h = self.input_conv(shift(x.astype(self.dtype), 1))
    skips = 0
    for layer in self.layers:
      h, skip = layer(h, cond)
      skips = skips + skip
    return self._head(skips)

  def queues(self, batch: int) -> tuple[jax.Array, ...]:
    """Empty (zero) queues of every causal conv, for `step` from t = 0."""
    sizes = [(self.input_kernel_size - 1, self.num_values)] + [
        ((self.kernel_size - 1) * d, self.channels) for d in self.dilations]
    return tuple(jnp.zeros((batch, n, c), self.dtype) for n, c in sizes)

  def step(self, x_prev, cond, queues, t):
    """One time step: x_prev [B, V] the one-hot input of time t - 1 (ignored at t = 0, where
    the shift gives zeros), cond [B, K] or None, queues from `queues` or the last step ->
    (outputs [B, P] at time t, the queues advanced)."""
    x_t = jnp.where(t > 0, x_prev.astype(self.dtype), 0)
    h, first = self.input_conv.step(x_t, queues[0], t)
    new, skips = [first], 0
    for layer, queue in zip(self.layers, queues[1:]):
      h, skip, queue = layer.step(h, cond, queue, t)
      new.append(queue)
      skips = skips + skip
    return self._head(skips), tuple(new)
