"""Optimizers and schedules from config against hand formulas and optax built directly."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from gdm.train.optim import (OPTIMIZERS, SCHEDULES, OptimizerConfig, make_optimizer,
                             make_schedule)
from gdm.utils import schema


def opt_config(**kw):
  return OptimizerConfig(**kw)


def _hand_lr(schedule, lr, warmup, num_steps, end_factor, s, hold=0):
  if s < warmup:
    return lr * s / warmup
  if schedule == 'constant' or s < warmup + hold:
    return lr
  d = max(num_steps - warmup - hold, 1)
  t = min(s - warmup - hold, d)
  if schedule == 'cosine':
    return lr * (end_factor + (1 - end_factor) * 0.5 * (1 + math.cos(math.pi * t / d)))
  return lr + (lr * end_factor - lr) * t / d


STEPS = [0, 1, 5, 10, 11, 37, 60, 99, 100, 150]


@pytest.mark.parametrize('schedule', SCHEDULES)
@pytest.mark.parametrize('warmup', [0, 10])
@pytest.mark.parametrize('end_factor', [0.0, 0.1])
def test_schedule_values(schedule, warmup, end_factor):
  lr, num_steps = 0.02, 100
  sched = make_schedule(opt_config(learning_rate=lr, schedule=schedule, warmup_steps=warmup,
                                   end_factor=end_factor), num_steps)
  for s in STEPS:
    want = _hand_lr(schedule, lr, warmup, num_steps, end_factor, s)
    np.testing.assert_allclose(float(sched(s)), want, rtol=1e-5, atol=1e-9,
                               err_msg=f'{schedule} warmup={warmup} step={s}')


@pytest.mark.parametrize('schedule', SCHEDULES)
@pytest.mark.parametrize('warmup', [0, 10])
def test_hold_then_decay(schedule, warmup):
  """hold_steps at full lr after warmup, then the decay over what is left (CycleGAN: lr for
  the first half of the run, then linearly to 0)."""
  lr, num_steps, hold = 0.02, 100, 40
  sched = make_schedule(opt_config(learning_rate=lr, schedule=schedule, warmup_steps=warmup,
                                   hold_steps=hold), num_steps)
  for s in STEPS:
    want = _hand_lr(schedule, lr, warmup, num_steps, 0.0, s, hold)
    np.testing.assert_allclose(float(sched(s)), want, rtol=1e-5, atol=1e-9,
                               err_msg=f'{schedule} warmup={warmup} step={s}')
  cyclegan = make_schedule(opt_config(learning_rate=lr, schedule='linear', hold_steps=50), 100)
  np.testing.assert_allclose([float(cyclegan(s)) for s in (0, 49, 50, 75, 100)],
                             [lr, lr, lr, lr / 2, 0.0], rtol=1e-6, atol=1e-9)


def test_schedule_landmarks():
  lr = 0.5
  sched = make_schedule(opt_config(learning_rate=lr, schedule='cosine', warmup_steps=20,
                                   end_factor=0.0), 120)
  assert float(sched(0)) == 0.0                         # warmup starts at 0
  np.testing.assert_allclose(float(sched(10)), lr / 2, rtol=1e-6)
  np.testing.assert_allclose(float(sched(20)), lr, rtol=1e-6)     # reaches lr at warmup
  np.testing.assert_allclose(float(sched(70)), lr / 2, rtol=1e-5)  # half way down
  np.testing.assert_allclose(float(sched(120)), 0.0, atol=1e-7)   # ends at lr * end_factor
  lin = make_schedule(opt_config(learning_rate=lr, schedule='linear', end_factor=0.2), 100)
  np.testing.assert_allclose([float(lin(s)) for s in (0, 50, 100, 200)],
                             [lr, 0.6 * lr, 0.2 * lr, 0.2 * lr], rtol=1e-6)


def _params_and_grads():
  rng = np.random.default_rng(0)
  params = {'w': jnp.asarray(rng.normal(size=(3, 4)), jnp.float32),
            'b': jnp.asarray(rng.normal(size=(4,)), jnp.float32)}
  grads = [jax.tree.map(lambda p, i=i: jnp.asarray(rng.normal(size=p.shape), jnp.float32),
                        params) for i in range(3)]
  return params, grads


def _run(tx, params, grads):
  state = tx.init(params)
  outs = []
  for g in grads:
    updates, state = tx.update(g, state, params)
    outs.append(updates)
    params = optax.apply_updates(params, updates)
  return outs


@pytest.mark.parametrize('name,kw,direct', [
    ('adam', dict(b1=0.8, b2=0.99, eps=1e-6),
     lambda lr: optax.adam(lr, b1=0.8, b2=0.99, eps=1e-6)),
    ('adamw', dict(weight_decay=0.1),
     lambda lr: optax.adamw(lr, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.1)),
    ('sgd', dict(), lambda lr: optax.sgd(lr)),
    ('sgd', dict(momentum=0.9), lambda lr: optax.sgd(lr, momentum=0.9)),
])
def test_optimizer_matches_optax(name, kw, direct):
  lr = 0.03
  params, grads = _params_and_grads()
  ours = _run(make_optimizer(opt_config(name=name, learning_rate=lr, **kw), 100), params, grads)
  theirs = _run(direct(lr), params, grads)
  for a, b in zip(ours, theirs):
    for k in a:
      np.testing.assert_allclose(a[k], b[k], rtol=1e-6, atol=1e-9)
  # The first sgd update is -lr * g exactly; first adam update ~ -lr * sign(g).
  if name == 'sgd':
    np.testing.assert_allclose(ours[0]['w'], -lr * grads[0]['w'], rtol=1e-6)
  elif name == 'adam':
    np.testing.assert_allclose(ours[0]['w'], -lr * np.sign(grads[0]['w']), rtol=1e-3)


def test_adamw_weight_decay_changes_update():
  params, grads = _params_and_grads()
  a = _run(make_optimizer(opt_config(name='adamw', weight_decay=0.0), 10), params, grads[:1])
  b = _run(make_optimizer(opt_config(name='adamw', weight_decay=0.5), 10), params, grads[:1])
  # adamw adds -lr * wd * param to the adam update.
  np.testing.assert_allclose(b[0]['w'] - a[0]['w'], -1e-3 * 0.5 * params['w'], rtol=1e-4,
                             atol=1e-9)


def test_optimizer_uses_the_schedule():
  params, grads = _params_and_grads()
  tx = make_optimizer(opt_config(name='sgd', learning_rate=0.1, warmup_steps=4), 100)
  outs = _run(tx, params, grads)
  for s, (u, g) in enumerate(zip(outs, grads)):
    np.testing.assert_allclose(u['w'], -0.1 * s / 4 * g['w'], rtol=1e-6, atol=1e-9)


def test_clip_norm():
  params = {'w': jnp.zeros((10,), jnp.float32), 'b': jnp.zeros((3,), jnp.float32)}
  tx = make_optimizer(opt_config(name='sgd', learning_rate=1.0, clip_norm=0.5), 10)
  state = tx.init(params)
  big = {'w': jnp.full((10,), 30.0), 'b': jnp.full((3,), -40.0)}
  u, _ = tx.update(big, state, params)
  np.testing.assert_allclose(float(optax.global_norm(u)), 0.5, rtol=1e-6)
  # Direction kept: the update is -g scaled down.
  scale = 0.5 / float(optax.global_norm(big))
  np.testing.assert_allclose(u['w'], -scale * big['w'], rtol=1e-6)
  small = {'w': jnp.full((10,), 0.01), 'b': jnp.full((3,), 0.02)}
  u, _ = tx.update(small, state, params)
  np.testing.assert_allclose(u['w'], -small['w'], rtol=1e-6)     # below the norm: untouched
  # Gradients are clipped before the learning rate scales them.
  tx = make_optimizer(opt_config(name='sgd', learning_rate=0.1, clip_norm=0.5), 10)
  u, _ = tx.update(big, tx.init(params), params)
  np.testing.assert_allclose(float(optax.global_norm(u)), 0.05, rtol=1e-6)
  # clip_norm=0 is off.
  tx0 = make_optimizer(opt_config(name='sgd', learning_rate=1.0, clip_norm=0.0), 10)
  u, _ = tx0.update(big, tx0.init(params), params)
  np.testing.assert_allclose(u['w'], -big['w'])


def test_names():
  assert OPTIMIZERS == ('adam', 'adamw', 'sgd')
  assert SCHEDULES == ('constant', 'cosine', 'linear')


@pytest.mark.parametrize('kw,needles', [
    (dict(name='adagrad'), ["'adagrad'", 'train.optimizer.name', 'adam']),
    (dict(schedule='step'), ["'step'", 'train.optimizer.schedule', 'cosine']),
    (dict(learning_rate=0.0), ['learning_rate=0.0']),
    (dict(learning_rate=-1e-3), ['learning_rate=-0.001']),
    (dict(warmup_steps=-5), ['warmup_steps=-5']),
    (dict(clip_norm=-1.0), ['clip_norm=-1.0']),
    (dict(weight_decay=-0.1), ['weight_decay=-0.1']),
    (dict(momentum=-0.9), ['momentum=-0.9']),
    (dict(end_factor=-0.5), ['end_factor=-0.5']),
])
def test_bad_values_raise_one_line_errors(kw, needles):
  with pytest.raises(ValueError) as e:
    schema.parse(OptimizerConfig, kw, 'train.optimizer.')
  msg = str(e.value)
  assert '\n' not in msg
  for n in needles:
    assert n in msg, (n, msg)


def test_the_message_names_the_section_it_is_in():
  with pytest.raises(ValueError, match=r'model\.disc_opt\.name'):
    schema.parse(OptimizerConfig, {'name': 'rmsprop'}, 'model.disc_opt.')
