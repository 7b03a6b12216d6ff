"""A replay buffer of past MCMC negatives (Du & Mordatch, 2019), as a pytree of arrays.

Chains persist across train steps: each step draws a batch of past negatives, restarts a
share of them from uniform noise (so the buffer keeps exploring), runs the sampler from
there and writes the results back to the slots they came from. The buffer is plain arrays
({'x': [N, ...], 'y': [N] labels for class-conditional models}) so it lives in the train
state's model_state: checkpointed, restored, and identical on resume.
"""
import jax
import jax.numpy as jnp


def uniform_noise(key: jax.Array, shape: tuple[int, ...], low: float, high: float) -> jax.Array:
  # Drawn flat: XLA:CPU compiles rank >= 3 random draws slowly.
  size = 1
  for s in shape:
    size *= s
  return jax.random.uniform(key, (size,), jnp.float32, low, high).reshape(shape)


def init(key: jax.Array, size: int, shape: tuple[int, ...], low: float, high: float,
         num_classes: int = 0) -> dict:
  """A buffer of `size` uniform-noise examples (and uniform labels if num_classes > 0)."""
  k_x, k_y = jax.random.split(key)
  buffer = {'x': uniform_noise(k_x, (size,) + tuple(shape), low, high)}
  if num_classes:
    buffer['y'] = jax.random.randint(k_y, (size,), 0, num_classes, jnp.int32)
  return buffer


def distinct_slots(key: jax.Array, size: int, num: int) -> jax.Array:
  """`num` distinct slots of `size`, a uniformly random subset: the top `num` of iid
  uniforms (an order of magnitude faster on CPU than jax.random.choice without replacement,
  which sorts a permutation)."""
  return jax.lax.top_k(jax.random.uniform(key, (size,)), num)[1]


def draw(buffer: dict, key: jax.Array, num: int, reinit_share: float, low: float,
         high: float, fresh_y: jax.Array | None = None):
  """Starting points for `num` chains: distinct buffer slots, each restarted from noise with
  probability `reinit_share`. Returns (x0, y0 or None, slots, restarted mask); a restarted
  chain takes its label from `fresh_y` (the data label it is paired with)."""
  size = buffer['x'].shape[0]
  k_slot, k_fresh, k_noise = jax.random.split(key, 3)
  slots = distinct_slots(k_slot, size, num)
  fresh = jax.random.uniform(k_fresh, (num,)) < reinit_share
  x_old = buffer['x'][slots]
  noise = uniform_noise(k_noise, x_old.shape, low, high)
  x0 = jnp.where(fresh.reshape((num,) + (1,) * (x_old.ndim - 1)), noise, x_old)
  y0 = None
  if 'y' in buffer:
    y0 = buffer['y'][slots] if fresh_y is None else jnp.where(fresh, fresh_y,
                                                              buffer['y'][slots])
  return x0, y0, slots, fresh


def write(buffer: dict, slots: jax.Array, x: jax.Array, y: jax.Array | None = None) -> dict:
  """The buffer with the chains' new states written to the (distinct) slots they came from."""
  out = {'x': buffer['x'].at[slots].set(x.astype(buffer['x'].dtype))}
  if 'y' in buffer:
    out['y'] = buffer['y'] if y is None else buffer['y'].at[slots].set(y.astype(jnp.int32))
  return out


def pick(buffer: dict, key: jax.Array, num: int):
  """`num` stored examples (with replacement only when num exceeds the buffer): (x, y)."""
  size = buffer['x'].shape[0]
  slots = (jax.random.randint(key, (num,), 0, size) if num > size
           else distinct_slots(key, size, num))
  return buffer['x'][slots], (buffer['y'][slots] if 'y' in buffer else None)
