"""The image history buffer of Shrivastava et al. (2017) as CycleGAN uses it (Zhu et al.,
2017, Sec. 4): the discriminator is shown a mix of the generator's newest fakes and fakes
from earlier steps, which damps oscillation.

The buffer holds up to `size` images. While it fills, every new image is stored and shown.
Once full, each new image is, with probability 1/2, shown as it is, else stored in place of
a random stored image, which is shown instead. Images of one batch are handled in order, as
the reference implementation does (an image may be swapped for one stored earlier in the same
batch); the slots of the swaps within one batch are distinct. The buffer is plain arrays
({'images': [size, ...], 'count': int32}), so it lives in the train state's model_state:
checkpointed, restored and identical on resume.
"""
import jax
import jax.numpy as jnp

from gdm.sampling.replay_buffer import distinct_slots


def init(size: int, shape: tuple[int, ...]) -> dict:
  return {'images': jnp.zeros((size,) + tuple(shape), jnp.float32),
          'count': jnp.zeros((), jnp.int32)}


def query(buffer: dict, images: jax.Array, key: jax.Array) -> tuple[jax.Array, dict]:
  """(the images to show the discriminator, the updated buffer) for a batch of new fakes.
  Needs batch size <= buffer size."""
  stored, count = buffer['images'], buffer['count']
  size, n = stored.shape[0], images.shape[0]
  if n > size:
    raise ValueError(f'history buffer of {size} images cannot take a batch of {n}')
  images = images.astype(stored.dtype)
  k_coin, k_slot = jax.random.split(key)
  position = count + jnp.arange(n)
  filling = position < size                     # stored and shown as they are
  swap = ~filling & (jax.random.uniform(k_coin, (n,)) < 0.5)
  slots = jnp.where(filling, position, distinct_slots(k_slot, size, n))
  # A slot filled earlier in this batch holds that batch image, not the stored one.
  earlier = (slots >= count) & (slots < count + n)
  batch_image = images[jnp.clip(slots - count, 0, n - 1)]
  old = jnp.where(_rows(earlier, images), batch_image, stored[slots])
  shown = jnp.where(_rows(swap, images), old, images)
  # Fills first, then swaps, so a swap into a slot filled by this batch overwrites it.
  stored = stored.at[jnp.where(filling, slots, size)].set(images, mode='drop')
  stored = stored.at[jnp.where(swap, slots, size)].set(images, mode='drop')
  return shown, {'images': stored, 'count': jnp.minimum(count + n, size).astype(jnp.int32)}


def _rows(mask: jax.Array, like: jax.Array) -> jax.Array:
  return mask.reshape((-1,) + (1,) * (like.ndim - 1))
