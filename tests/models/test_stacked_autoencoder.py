"""Stacked autoencoders: greedy layer-wise stages through the generic step, then fine-tuning."""
import jax
import jax.numpy as jnp
import numpy as np

from gdm.models import autoencoder
from gdm.train import state as state_lib
from gdm.train.step import make_train_step

from tests.models.ae_reference import (
    MOONS, PIXELS, KEY, stacked_config, moons_batch, init, _np, np_dense, np_stacked_encode,
    np_stacked_reconstruct, np_sum_sq)


# ---------------------------------------------------------------- stacked (greedy) training

def _changed(before, after):
  return {name: any(not np.array_equal(a, b) for a, b in
                    zip(jax.tree.leaves(before[name]), jax.tree.leaves(after[name])))
          for name in before}


def _stacked_run(finetune, S=2):
  c = stacked_config(stage_steps=S, finetune=finetune, hidden=(8,))   # 2 -> 8 -> 1
  model = autoencoder.FAMILY.model(c, MOONS)
  batch = moons_batch(n=32)
  params, ms = init(model, batch)
  state = state_lib.create(params, ms, {p.name: p.optimizer for p in model.players})
  step = jax.jit(make_train_step(model.players, lambda b, k, t: b, ema_decay=0.0))
  micro = jax.tree.map(lambda a: a[None], batch)
  return model, state, step, micro, batch


def test_stacked_greedy_stages_then_finetune():
  S = 2
  model, state, step, micro, batch = _stacked_run(finetune=True, S=S)
  assert [p.name for p in model.players] == ['layer0', 'layer1']
  x = _np(batch['x'])
  history = []
  for s in range(3 * S + 2):
    before = state.params
    p_np = jax.tree.map(_np, before)
    state, metrics = step(state, micro, KEY)
    history.append((s, _changed(before, state.params), metrics, p_np))
  for s, changed, metrics, p_np in history:
    stage = s // S
    if stage == 0:
      assert changed == {'layer0': True, 'layer1': False}, s
      # Layer 0 alone reconstructs x (linear decoder).
      l0 = p_np['layer0']
      h = np_dense(l0['encoder']['Dense_0'], x, True)
      want = np_sum_sq(np_dense(l0['decoder']['Dense_0'], h, False), x).mean()
      np.testing.assert_allclose(metrics['layer0/loss'], want, rtol=1e-5)
      assert float(metrics['layer1/loss']) == 0.0           # idle: zero metrics
    elif stage == 1:
      assert changed == {'layer0': False, 'layer1': True}, s
      # Layer 1 reconstructs layer 0's (fixed) code.
      h = np_stacked_encode(p_np, x, upto=1)
      l1 = p_np['layer1']
      z = np_dense(l1['encoder']['Dense_0'], h, False)
      want = np_sum_sq(np_dense(l1['decoder']['Dense_0'], z, True), h).mean()
      np.testing.assert_allclose(metrics['layer1/loss'], want, rtol=1e-5)
      assert float(metrics['layer0/loss']) == 0.0
    else:
      assert changed == {'layer0': True, 'layer1': True}, s
      # Finetuning: both players minimise the end-to-end reconstruction.
      want = np_sum_sq(np_stacked_reconstruct(p_np, x), x).mean()
      np.testing.assert_allclose(metrics['layer0/loss'], want, rtol=1e-5)
  assert int(state.step) == 3 * S + 2


def test_stacked_greedy_losses_with_bce():
  # Layer 0 reconstructs the data with the configured loss (bce: logits); deeper layers
  # reconstruct real-valued codes, always with squared error.
  config = stacked_config(hidden=(8,), loss='bce', stage_steps=5)
  config.data.scale = 'zero_one'
  model = autoencoder.FAMILY.model(config, PIXELS)
  x = np.random.default_rng(3).uniform(size=(8, 2)).astype(np.float32)
  batch = {'x': jnp.asarray(x.reshape(8, 2, 1, 1))}
  params, _ = init(model, batch)
  p_np = jax.tree.map(_np, params)
  l0 = p_np['layer0']
  h = np_dense(l0['encoder']['Dense_0'], x, True)
  logits = np_dense(l0['decoder']['Dense_0'], h, False)
  q = 1 / (1 + np.exp(-logits))
  want0 = -(x * np.log(q) + (1 - x) * np.log(1 - q)).sum(1).mean()
  l1 = p_np['layer1']
  want1 = np_sum_sq(np_dense(l1['decoder']['Dense_0'],
                             np_dense(l1['encoder']['Dense_0'], h, False), True), h).mean()
  for player, want in zip(model.players, (want0, want1)):
    loss, _ = jax.jit(player.loss_fn)(params, {}, batch, KEY, 0)
    np.testing.assert_allclose(loss, want, rtol=1e-5)


def test_stacked_without_finetune_stops_after_the_greedy_stages():
  # (The step honouring `active` is covered by test_stacked_greedy_stages_then_finetune.)
  c = stacked_config(hidden=(8,), stage_steps=3, finetune=False)
  model = autoencoder.FAMILY.model(c, MOONS)
  active = [[bool(p.active(jnp.int32(s))) for p in model.players] for s in range(9)]
  assert active == [[True, False]] * 3 + [[False, True]] * 3 + [[False, False]] * 3


def test_stacked_default_stage_steps_split_num_steps():
  c = stacked_config()                   # smoke: 8 steps, 3 layers + finetune -> 2 each
  c.model.hidden = (8,)                  # 2 layers + finetune: 8 // 3 = 2 steps per stage
  model = autoencoder.FAMILY.model(c, MOONS)
  active = [[bool(p.active(jnp.int32(s))) for p in model.players] for s in range(8)]
  assert active == [[True, False]] * 2 + [[False, True]] * 2 + [[True, True]] * 4
