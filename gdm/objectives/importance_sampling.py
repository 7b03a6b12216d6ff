"""Importance sampling of the timestep for the variational bound (Nichol & Dhariwal, 2021).

L_vlb = sum_t L_t is estimated with t ~ p(t) and weight 1 / (T p(t)); the variance is least
for p(t) proportional to sqrt(E[L_t^2]). The paper keeps the last 10 values of L_t per t;
here a per-t exponential moving average of L_t^2 (decay 0.9, about the same memory) lives in
the model state. t is uniform until every t has been seen, and the proposal always keeps a
little uniform mass (0.001) so that no t starves.
"""
import jax
import jax.numpy as jnp

UNIFORM_MASS = 0.001
DECAY = 0.9


def init_state(num_timesteps: int) -> dict:
  return {'mean_sq': jnp.zeros((num_timesteps,), jnp.float32),
          'seen': jnp.zeros((num_timesteps,), jnp.bool_)}


def probabilities(state: dict) -> jax.Array:
  num = state['mean_sq'].shape[0]
  w = jnp.sqrt(state['mean_sq'])
  p = w / jnp.maximum(w.sum(), 1e-12)
  p = (1 - UNIFORM_MASS) * p + UNIFORM_MASS / num
  return jnp.where(jnp.all(state['seen']), p, jnp.full((num,), 1.0 / num))


def sample(key: jax.Array, state: dict, batch: int) -> tuple[jax.Array, jax.Array]:
  """(t [B] int32, weights [B] = 1 / (T p(t)))."""
  p = probabilities(state)
  t = jax.random.choice(key, p.shape[0], (batch,), p=p)
  return t.astype(jnp.int32), 1.0 / (p.shape[0] * p[t])


def update(state: dict, t: jax.Array, losses: jax.Array) -> dict:
  """Moves mean_sq[t] towards the batch's mean of L_t^2 for every t in the batch."""
  num = state['mean_sq'].shape[0]
  losses = jax.lax.stop_gradient(losses.astype(jnp.float32))
  count = jnp.zeros((num,)).at[t].add(1.0)
  total = jnp.zeros((num,)).at[t].add(losses ** 2)
  hit = count > 0
  batch_mean = total / jnp.maximum(count, 1.0)
  first = hit & ~state['seen']
  ema = jnp.where(first, batch_mean, DECAY * state['mean_sq'] + (1 - DECAY) * batch_mean)
  return {'mean_sq': jnp.where(hit, ema, state['mean_sq']), 'seen': state['seen'] | hit}
