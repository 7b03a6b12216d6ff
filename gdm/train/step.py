"""The generic train step built from players, with a non-finite guard and EMA.

One train step consumes `k = max(player.steps)` micro-batches (leading axis of `batch`):
player p makes `p.steps` updates of `params[p.entry]` in order, update i on micro-batch i,
so a GAN critic with n_critic=5 sees five fresh real batches per generator update as in the
WGAN papers.
An update is skipped (params, optimizer state and model state keep their old values) and
counted when its loss or gradient norm is not finite, or when it would blow the player's
params up (their global norm grows past `param_growth_limit` times max(1, the old norm)): a
finite but exploding step (a learning rate of 1e30) would otherwise leave finite params of
size 1e30 that no later step can repair. The loop stops a run that skips too often.

The guard costs a few scalar reductions whatever the number of parameter leaves: one
`isfinite` of the global norm (a finite gradient whose norm overflows float32 counts as
non-finite), and one select per leaf on that scalar, which XLA fuses into the update.
"""
from typing import Callable, Sequence

import jax
import jax.numpy as jnp
import optax

from gdm.train import ema as ema_lib
from gdm.train import rng
from gdm.train.players import Player
from gdm.train.state import TrainState
from gdm.utils import branching


def _select(pred, new, old):
  return jax.tree.map(lambda a, b: jnp.where(pred, a, b), new, old)


def num_micro_batches(players: Sequence[Player]) -> int:
  return max(p.steps for p in players)


def update_is_sane(loss, grad_norm, old_params, new_params, growth_limit: float):
  """Scalar bool: the update may be applied (see the module docstring); limit 0 = off."""
  ok = jnp.isfinite(loss) & jnp.isfinite(grad_norm)
  if growth_limit > 0:
    new_norm = optax.global_norm(new_params)
    ok &= jnp.isfinite(new_norm) & (
        new_norm <= growth_limit * jnp.maximum(optax.global_norm(old_params), 1.0))
  return ok


def accumulation_chunks(batch: dict, accum: int) -> dict:
  """[B, ...] leaves -> [accum, B / accum, ...]: chunk i holds rows i, i + accum, ... so that
  a batch split over devices in contiguous blocks gives every device a share of every chunk
  (no data moves between devices)."""
  def split(x):
    return x.reshape((x.shape[0] // accum, accum) + x.shape[1:]).swapaxes(0, 1)
  return jax.tree.map(split, batch)


def loss_and_grads(loss_fn, params, model_state, batch, key, accum: int):
  """(loss, metrics, model_state, grads) of loss_fn(params, model_state, batch, key), with
  the gradient averaged over `accum` chunks of the batch computed one after another (chunk i
  keyed by fold_in(key, i); model_state threads through them). accum=1 is the plain
  value_and_grad, bit for bit."""
  grad_fn = jax.value_and_grad(loss_fn, has_aux=True)
  if accum == 1:
    (loss, (metrics, model_state)), grads = grad_fn(params, model_state, batch, key)
    return loss, metrics, model_state, grads
  chunks = accumulation_chunks(batch, accum)

  def body(carry, xs):
    state, total = carry
    chunk, i = xs
    (loss, (metrics, state)), grads = grad_fn(params, state, chunk, jax.random.fold_in(key, i))
    parts = (loss.astype(jnp.float32),
             {k: jnp.asarray(v, jnp.float32) for k, v in metrics.items()}, grads)
    return (state, jax.tree.map(jnp.add, total, parts)), None

  first = jax.tree.map(lambda x: x[0], chunks)
  (_, (metrics0, _)), grads0 = jax.eval_shape(grad_fn, params, model_state, first, key)
  total = (jnp.zeros((), jnp.float32),
           {k: jnp.zeros(v.shape, jnp.float32) for k, v in metrics0.items()},
           jax.tree.map(lambda g: jnp.zeros(g.shape, g.dtype), grads0))
  (model_state, (loss, metrics, grads)), _ = jax.lax.scan(
      body, (model_state, total), (chunks, jnp.arange(accum)))
  return (loss / accum, {k: v / accum for k, v in metrics.items()}, model_state,
          jax.tree.map(lambda g: g / accum, grads))


def make_train_step(players: Sequence[Player], prepare: Callable, ema_decay: float,
                    param_growth_limit: float = 0.0, grad_accum: int = 1,
                    ema_start: int = 0, ema_rampup: float = 0.0):
  """Returns step(state, batch, base_key) -> (state, metrics) for one train step.

  `prepare(batch, key, train)` turns a raw micro-batch into model inputs on device
  (scaling, dequantization, flips), keyed by step so that it does not depend on sharding.
  `grad_accum` > 1 averages each update's gradient over that many slices of its batch,
  computed one after another (for batches that do not fit). `ema_start` and `ema_rampup`
  warm the EMA up (gdm/train/ema.py).
  """
  names = [p.name for p in players]
  if len(set(names)) != len(names):
    raise ValueError(f'player names must be unique, got {names}')
  multi = len(players) > 1

  def player_update(player, index, params, opt_state, model_state, batch, key, step):
    def loss_of(own, state, batch_, key_):
      return player.loss_fn({**params, player.entry: own}, state, batch_, key_, step)

    own = params[player.entry]
    loss, metrics, new_model_state, grads = loss_and_grads(
        loss_of, own, model_state, batch, key, grad_accum)
    grad_norm = optax.global_norm(grads)
    updates, new_opt = player.optimizer.update(grads, opt_state[player.entry], own)
    new_own = optax.apply_updates(own, updates)
    ok = update_is_sane(loss, grad_norm, own, new_own, param_growth_limit)
    params = {**params, player.entry: _select(ok, new_own, own)}
    opt_state = {**opt_state, player.entry: _select(ok, new_opt, opt_state[player.entry])}
    model_state = _select(ok, new_model_state, model_state)
    metrics = {**metrics, 'loss': loss, 'grad_norm': grad_norm}
    metrics = {k: jnp.asarray(v, jnp.float32) for k, v in metrics.items()}
    return (params, opt_state, model_state), metrics, (~ok).astype(jnp.int32)

  def step_fn(state: TrainState, batch: dict, base_key: jax.Array):
    step = state.step
    k = jax.tree.leaves(batch)[0].shape[0]
    prepared = [prepare(jax.tree.map(lambda x, i=i: x[i], batch),
                        rng.key_for(base_key, step, rng.DATA, i), True) for i in range(k)]
    carry = (state.params, state.opt_state, state.model_state)
    metrics, skipped = {}, jnp.zeros((), jnp.int32)
    for pi, player in enumerate(players):
      if player.steps > k:
        raise ValueError(f'player {player.name!r} needs {player.steps} micro-batches, got {k}')
      per_update = []
      for i in range(player.steps):
        key = rng.key_for(base_key, step, rng.PLAYER, pi, i)
        update = lambda c, p=player, b=prepared[i], kk=key: player_update(
            p, pi, *c, b, kk, step)
        if player.active is None:
          carry, m, bad = update(carry)
        else:
          # An idle player reports zeros shaped like its metrics and skips nothing.
          zeros = jax.tree.map(lambda x: jnp.zeros(x.shape, x.dtype),
                               jax.eval_shape(update, carry)[1])
          idle = lambda c, z=zeros: (c, z, jnp.zeros((), jnp.int32))
          # XLA:CPU's convs in lax.cond are slow: there both run and a select keeps one.
          carry, m, bad = branching.pick(player.active(step), [idle, update], carry)
        per_update.append(m)
        skipped = skipped + bad
      mean = jax.tree.map(lambda *xs: sum(xs) / len(xs), *per_update)
      metrics.update({(f'{player.name}/{k_}' if multi else k_): v for k_, v in mean.items()})

    params, opt_state, model_state = carry
    ema = ema_lib.update(state.ema_params, params,
                         ema_lib.decay_at(step, ema_decay, ema_start, ema_rampup))
    new_state = state.replace(
        step=step + 1, params=params, opt_state=opt_state, model_state=model_state,
        ema_params=ema,
        nonfinite_run=jnp.where(skipped > 0, state.nonfinite_run + 1, 0),
        skipped=state.skipped + skipped)
    metrics['skipped_updates'] = skipped.astype(jnp.float32)
    return new_state, metrics

  return step_fn


def make_multi_step(step_fn):
  """Several train steps per call: batch leaves carry a leading [num_steps] axis.

  One step is called directly rather than through a length-1 scan: XLA:CPU runs
  convolutions inside a loop body about ten times slower.
  """

  def multi_step(state, batches, base_key):
    if jax.tree.leaves(batches)[0].shape[0] == 1:
      state, metrics = step_fn(state, jax.tree.map(lambda x: x[0], batches), base_key)
      return state, jax.tree.map(lambda x: x[None], metrics)
    return jax.lax.scan(lambda s, b: step_fn(s, b, base_key), state, batches)

  return multi_step
