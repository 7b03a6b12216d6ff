"""compute_dtype='bfloat16': matmuls and convolutions in bf16, params and losses in float32."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.autoencoder import conv_digits, mlp_moons
from gdm.data.source import DatasetInfo
from gdm.models import autoencoder as ae
from gdm.models.autoencoder import nets
from gdm.train.config import parse_run
from gdm.train import state as state_lib
from gdm.train.step import make_train_step

MOONS = DatasetInfo('moons', (2,), 'vector')
DIGITS = DatasetInfo('digits', (16, 16, 1), 'image', num_classes=10)
KEY = jax.random.key(0, impl='rbg')     # fast to compile on CPU; the model is key-agnostic
MATMULS = ('dot_general', 'conv_general_dilated')


def setup(kind, dtype, n=4):
  if kind == 'conv':
    config, info = conv_digits.get_config('smoke'), DIGITS
  else:
    config, info = mlp_moons.get_config('smoke'), MOONS
    config.model.kind = kind
  config.train.compute_dtype = dtype
  rng = np.random.default_rng(0)
  batch = {'x': jnp.asarray(rng.uniform(-1, 1, size=(n,) + info.shape), jnp.float32)}
  model = ae.FAMILY.model(config, info)
  shapes, ms = jax.eval_shape(model.init, KEY, batch)
  params = jax.tree.map(lambda a: jnp.asarray(rng.normal(size=a.shape) / np.sqrt(
      max(np.prod(a.shape[:-1]), 1)), a.dtype), shapes)
  return config, info, model, params, ms, batch


def _eqns(jaxpr):
  """Every equation, including those of sub-jaxprs (pjit, cond, custom_jvp...)."""
  for eqn in jaxpr.eqns:
    yield eqn
    for v in eqn.params.values():
      for sub in (v if isinstance(v, (tuple, list)) else (v,)):
        if isinstance(sub, jax.extend.core.ClosedJaxpr):
          yield from _eqns(sub.jaxpr)
        elif isinstance(sub, jax.extend.core.Jaxpr):
          yield from _eqns(sub)


def matmul_dtypes(fn, *args):
  jaxpr = jax.make_jaxpr(fn)(*args).jaxpr
  out = []
  for eqn in _eqns(jaxpr):
    if eqn.primitive.name in MATMULS:
      out.append((eqn.primitive.name,
                  tuple(str(v.aval.dtype) for v in eqn.invars),
                  tuple(str(v.aval.dtype) for v in eqn.outvars)))
  return out


# (number of dot_general, number of conv_general_dilated) in one forward pass
COUNTS = {'mlp': (6, 0), 'stacked': (6, 0), 'conv': (2, 5)}


@pytest.mark.parametrize('kind', ['mlp', 'conv', 'stacked'])
@pytest.mark.parametrize('dtype', ['bfloat16', 'float32'])
def test_forward_matmuls_run_in_compute_dtype(kind, dtype):
  config, _, model, params, ms, batch = setup(kind, dtype)
  # Stacked: the end-to-end (finetune) loss of the last layer uses every layer.
  player = model.players[-1]
  step = 10 ** 6 if kind == 'stacked' else 0
  found = matmul_dtypes(lambda p, b: player.loss_fn(p, ms, b, KEY, step)[0], params, batch)
  n_dot = sum(name == 'dot_general' for name, _, _ in found)
  n_conv = sum(name == 'conv_general_dilated' for name, _, _ in found)
  want_dot, want_conv = COUNTS[kind]
  if kind == 'stacked':
    # Both branches of the greedy / finetune cond are traced: besides the 6 end-to-end
    # matmuls, layer 2's greedy loss encodes with layers 0 and 1, then encodes and decodes.
    want_dot += 2 + 2
  assert (n_dot, n_conv) == (want_dot, want_conv), found
  for name, ins, outs in found:
    assert ins == (dtype, dtype) and outs == (dtype,), (name, ins, outs)


def test_params_stay_float32_and_loss_is_float32():
  for kind in ('mlp', 'conv'):
    _, _, model, _, _, batch = setup(kind, 'bfloat16')
    shapes, _ = jax.eval_shape(model.init, KEY, batch)
    assert all(a.dtype == jnp.float32 for a in jax.tree.leaves(shapes)), kind


@pytest.mark.parametrize('kind', ['mlp', 'conv'])
def test_bf16_loss_is_float32_and_close_to_float32_loss(kind):
  _, info, model16, params, ms, batch = setup(kind, 'bfloat16')
  _, _, model32, params32, _, _ = setup(kind, 'float32')
  same = jax.tree.map(lambda a, b: np.array_equal(a, b), params, params32)
  assert all(jax.tree.leaves(same))                             # same params in both
  loss16, (m16, _) = jax.jit(model16.players[0].loss_fn)(params, ms, batch, KEY, 0)
  loss32, (m32, _) = jax.jit(model32.players[0].loss_fn)(params, ms, batch, KEY, 0)
  assert loss16.dtype == jnp.float32 and m16['mse'].dtype == jnp.float32
  np.testing.assert_allclose(loss16, loss32, rtol=5e-2)
  assert float(loss16) != float(loss32)                          # bf16 really was used
  # What the model hands back is float32 (abstract evaluation: no compile needed).
  out = jax.eval_shape(model16.evaluate, params, ms, batch, KEY)
  assert out and all(v.dtype == jnp.float32 for v in out.values())
  sample = jax.eval_shape(lambda p, k: model16.sample(p, ms, k, 3, batch), params, KEY)
  assert sample.dtype == jnp.float32 and sample.shape == (3,) + info.shape


@pytest.mark.parametrize('kind', ['mlp', 'conv'])
def test_code_is_computed_in_bf16(kind):
  config, info, _, params, _, batch = setup(kind, 'bfloat16')
  (layer,) = nets.build_layers(parse_run(config, ae.FAMILY.config).model, info, jnp.bfloat16)
  x = batch['x'].reshape(len(batch['x']), -1) if kind == 'mlp' else batch['x']
  code = jax.eval_shape(lambda p, x: layer.apply({'params': p}, x, method='encode'),
                        params['model'], x)
  recon = jax.eval_shape(lambda p, x: layer.apply({'params': p}, x), params['model'], x)
  assert code.dtype == jnp.bfloat16 and recon.dtype == jnp.bfloat16


def test_bf16_train_steps_keep_float32_state():
  _, _, model, params, ms, batch = setup('mlp', 'bfloat16', n=32)
  players = model.players
  state = state_lib.create(params, ms, {p.name: p.optimizer for p in players})
  step = jax.jit(make_train_step(players, lambda b, k, t: b, ema_decay=0.5))
  micro = jax.tree.map(lambda a: a[None], batch)
  for _ in range(3):
    new, metrics = step(state, micro, KEY)
    for tree in (new.params, new.ema_params, new.opt_state):
      for leaf in jax.tree.leaves(tree):
        if jnp.issubdtype(leaf.dtype, jnp.floating):
          assert leaf.dtype == jnp.float32
    assert metrics['loss'].dtype == jnp.float32 and np.isfinite(metrics['loss'])
    assert float(metrics['grad_norm']) > 0
    assert int(new.skipped) == 0
    changed = [not np.array_equal(a, b) for a, b in
               zip(jax.tree.leaves(state.params), jax.tree.leaves(new.params))]
    assert all(changed)
    state = new
  assert int(state.step) == 3
