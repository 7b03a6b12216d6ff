"""Causality of VQ-VAE-2's prior networks by gradients (jax.jacfwd), through the family's
grid interface: the top prior's output at a code position depends on exactly the positions
before it in raster order (attention included), and the bottom prior's on the bottom codes
before it only, while it depends on the top codes (all known) everywhere."""
import jax
import jax.numpy as jnp
import numpy as np

from experiments.configs.vqvae2_prior import vqvae2_digits
from gdm.models.autoregressive import nets
from gdm.models.vqvae2_prior.config import VQVAE2PriorConfig
from gdm.models.vqvae2_prior.family import prior_net
from gdm.nn.vqvae2_priors import CausalSelfAttention
from gdm.utils import schema
from tests.helpers import random_like

K = 6                     # codes
H = W = 4                 # the code map the prior models
TOP = 2                   # the top map's side (bottom prior: one halving)


def _section(level: str, **overrides):
  m = schema.parse(VQVAE2PriorConfig, vqvae2_digits.get_config().model)
  return schema.parse(type(getattr(m, level)), {**schema.to_dict(getattr(m, level)),
                                                **overrides})


def _net(level: str, cond_up: int, given, **overrides):
  """(grid net, params) of one prior, conditioned on `given` (None or one-hot top codes)."""
  net = nets.GridNet(prior_net(_section(level, **overrides), K, cond_up), (H, W, 1), K)
  x = jnp.zeros((1, H, W, K))
  shapes = jax.eval_shape(lambda: net.init(jax.random.key(0), x, (None, given)))
  return net, random_like(shapes, np.random.default_rng(0))


def _dependence(fn, shape, samples=8):
  """fn(v [*shape]) -> [H, W, 1, K]; bool [H*W out, positions in], the union over random
  inputs of where any output logit has a nonzero derivative (inputs: relaxed one-hots)."""
  xs = jnp.asarray(np.random.default_rng(7).uniform(0, 1, size=(samples,) + shape), jnp.float32)
  jac = np.abs(np.asarray(jax.jit(jax.vmap(jax.jacfwd(fn)))(xs))).max(0)
  out = jac.reshape(H * W, -1, *shape).max(1)                 # [H*W, *shape]
  return out.reshape(H * W, shape[0] * shape[1], -1).max(-1) > 0


def _strictly_before(n):
  idx = np.arange(n)
  return idx[None, :] < idx[:, None]


def test_top_prior_with_attention_sees_exactly_the_earlier_codes():
  net, params = _net('top', 0, None, num_layers=2, attention_every=1, num_heads=2)
  dep = _dependence(lambda v: net.apply(params, v[None], (None, None))[0], (H, W, K))
  np.testing.assert_array_equal(dep, _strictly_before(H * W))


def test_attention_alone_is_causal_and_reaches_back_to_the_start():
  attn = CausalSelfAttention(num_heads=2)
  shapes = jax.eval_shape(lambda: attn.init(jax.random.key(0), jnp.zeros((1, H, W, 4))))
  params = random_like(shapes, np.random.default_rng(1))   # a non-zero output projection
  jac = np.abs(np.asarray(jax.jit(jax.jacfwd(
      lambda v: attn.apply(params, v[None])[0]))(jnp.ones((H, W, 4)) * 0.3)))
  dep = jac.max(axis=(2, 5)).reshape(H * W, H * W) > 0
  np.testing.assert_array_equal(dep, np.tril(np.ones((H * W, H * W), bool)))


def test_bottom_prior_is_causal_in_its_codes_given_all_the_top_codes():
  top = jnp.asarray(np.random.default_rng(2).uniform(0, 1, size=(TOP, TOP, K)), jnp.float32)
  net, params = _net('bottom', 1, top[None], num_layers=3, kernel_size=3,
                     first_kernel_size=3, attention_every=0)
  dep = _dependence(lambda v: net.apply(params, v[None], (None, top[None]))[0], (H, W, K))
  assert not np.any(dep & ~_strictly_before(H * W))        # never itself or a later code
  # The gated stacks have no blind spot: within reach of 3 layers every earlier code counts.
  assert dep[H * W - 1, H * W - 2] and dep[H * W - 1, (H - 1) * W - 1] and dep[W + 1, 0]
  bottom = jnp.asarray(np.random.default_rng(3).uniform(0, 1, size=(H, W, K)), jnp.float32)
  on_top = _dependence(lambda t: net.apply(params, bottom[None], (None, t[None]))[0],
                       (TOP, TOP, K))
  assert on_top.all(axis=1).any() and on_top.any(axis=1).all()   # every output sees the top


def test_a_class_label_conditions_every_position():
  net = nets.GridNet(prior_net(_section('top', num_layers=1), K, 0), (H, W, 1), K)
  label = jnp.ones((1, 3)) / 3
  shapes = jax.eval_shape(lambda: net.init(jax.random.key(0), jnp.zeros((1, H, W, K)),
                                           (label, None)))
  params = random_like(shapes, np.random.default_rng(4))
  jac = np.asarray(jax.jit(jax.jacfwd(
      lambda y: net.apply(params, jnp.zeros((1, H, W, K)), (y, None))))(label))
  assert (np.abs(jac).reshape(H, W, -1).max(-1) > 0).all()
