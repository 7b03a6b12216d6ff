"""WaveNet: causality by gradients (the output at t depends on exactly the receptive field's
inputs t - R .. t - 1, never on t or later), global conditioning, and the one-step form of
fast generation computing the full pass exactly, step by step."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.nn.wavenet import CausalConv, WaveNet, shift
from tests.helpers import random_like

T, V = 24, 16


def _net(**kw):
  args = dict(num_params=5, num_values=V, channels=4, skip_channels=16, head_channels=16,
              dilations=(1, 2, 4), kernel_size=2, input_kernel_size=2)
  return WaveNet(**{**args, **kw})


def _params(module, *args):
  return random_like(jax.eval_shape(module.init, jax.random.key(0), *args),
                     np.random.default_rng(0))


def _inputs(batch=1, seed=0):
  codes = np.random.default_rng(seed).integers(0, V, (batch, T))
  return jax.nn.one_hot(codes, V)


def _dependence(net, params, x, cond=None):
  """dep[t, s]: does output t depend on input s (any channel, any output unit) for any of
  the clips x [N, T, V]? (Several clips, so that a ReLU that happens to be off at one
  input does not hide a dependence.)"""
  jac = jax.vmap(jax.jacfwd(lambda v, c: net.apply(params, v[None], c)[0]))(
      x, None if cond is None else cond[:, None])                     # [N, T, P, T, V]
  return np.abs(np.asarray(jac)).sum((0, 2, 4)) > 0


@pytest.mark.parametrize('kw', [{}, dict(kernel_size=3, input_kernel_size=1),
                                dict(dilations=(1, 2, 1, 2), input_kernel_size=3)])
def test_output_t_depends_on_exactly_its_receptive_field(kw):
  net, x = _net(**kw), _inputs(3)
  params = _params(net, x)
  dep = _dependence(net, params, x)
  r = net.receptive_field
  t, s = np.meshgrid(np.arange(T), np.arange(T), indexing='ij')
  allowed = (s < t) & (s >= t - r)
  assert not (dep & ~allowed).any(), 'an output sees its own or a later input'
  np.testing.assert_array_equal(dep, allowed)       # and every input the field promises
  assert r == 1 + (net.input_kernel_size - 1) + (net.kernel_size - 1) * sum(net.dilations)


def test_the_first_output_depends_on_no_input():
  net, x = _net(), _inputs()
  params = _params(net, x)
  other = x.at[:, 1:].set(_inputs(seed=1)[:, 1:])
  out, out2 = net.apply(params, x), net.apply(params, other)
  np.testing.assert_array_equal(out[:, :2], out2[:, :2])   # t <= 1 sees only x_0 (same)
  assert not np.allclose(out[:, 2:], out2[:, 2:])
  np.testing.assert_array_equal(net.apply(params, x)[:, 0], net.apply(params, 0 * x)[:, 0])


def test_causal_conv_against_its_definition():
  conv = CausalConv(3, kernel_size=3, dilation=2)
  x = jnp.asarray(np.random.default_rng(0).normal(size=(2, 10, 4)), jnp.float32)
  params = _params(conv, x)
  w = np.asarray(params['params']['kernel']['kernel']).reshape(3, 4, 3)
  b = np.asarray(params['params']['kernel']['bias'])
  xp = np.pad(np.asarray(x), ((0, 0), (4, 0), (0, 0)))
  want = sum(xp[:, j * 2:j * 2 + 10] @ w[j] for j in range(3)) + b   # taps t-4, t-2, t
  np.testing.assert_allclose(conv.apply(params, x), want, atol=1e-5)
  np.testing.assert_array_equal(shift(x, 3)[:, :3], 0)
  np.testing.assert_array_equal(shift(x, 3)[:, 3:], x[:, :-3])


def test_global_condition_moves_every_output():
  net = _net(conditioned=True)
  x, cond = _inputs(2), jax.nn.one_hot(jnp.array([0, 1]), 3)
  params = _params(net, x, cond)
  a = net.apply(params, x[:1], cond[:1])
  b = net.apply(params, x[:1], cond[1:])
  assert np.all(np.abs(np.asarray(a - b)).max(-1) > 0)   # every time step, t = 0 included
  dep = _dependence(net, params, x, cond)
  assert not np.triu(dep).any()                          # still causal


@pytest.mark.optimized
@pytest.mark.parametrize('kw', [{}, dict(kernel_size=3, dilations=(1, 4, 2), conditioned=True),
                                dict(input_kernel_size=1, dilations=(2, 8))])
def test_steps_with_queues_compute_the_full_pass(kw):
  net = _net(**kw)
  x = _inputs(3)
  cond = jax.nn.one_hot(jnp.array([0, 1, 2]), 3) if net.conditioned else None
  params = _params(net, x, cond)
  full = net.apply(params, x, cond)
  step = jax.jit(lambda p, xp, q, t: net.apply(p, xp, cond, q, t, method=WaveNet.step))
  queues, outs = net.queues(3), []
  for t in range(T):
    out, queues = step(params, x[:, max(t - 1, 0)], queues, t)
    outs.append(out)
  np.testing.assert_allclose(np.stack(outs, 1), full, rtol=1e-6, atol=1e-6)
  sizes = [q.shape[1] for q in net.queues(1)]
  assert sizes == [net.input_kernel_size - 1] + [(net.kernel_size - 1) * d
                                                   for d in net.dilations]
