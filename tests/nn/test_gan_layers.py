"""GAN layers: spectral norm against the SVD, SAGAN attention and conditional batch norm
against NumPy."""
import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from gdm.nn.conditional_batchnorm import ConditionalBatchNorm
from gdm.nn.self_attention import SelfAttention
from gdm.nn.spectral_norm import COLLECTION, apply_layer

KEY = jax.random.key(0, impl='rbg')


class _Wrapped(nn.Module):
  layer: nn.Module

  @nn.compact
  def __call__(self, x, update_stats):
    return apply_layer(self.layer.clone(), x, True, update_stats)


def _power_iterate(module, x, variables, steps):
  step = jax.jit(lambda v: module.apply(v, x, True, mutable=[COLLECTION])[1][COLLECTION])
  stats = variables[COLLECTION]
  for _ in range(steps):
    stats = step({**variables, COLLECTION: stats})
  return {**variables, COLLECTION: stats}


def _sigma(stats):
  return float([v for k, v in jax.tree_util.tree_flatten_with_path(stats)[0]
                if 'sigma' in jax.tree_util.keystr(k)][0])


def test_spectral_norm_converges_to_the_largest_singular_value():
  rng = np.random.default_rng(0)
  # Dense [in, out] and a conv kernel, normalised as its [kh * kw * in, out] matrix.
  for layer, x, shape in ((nn.Dense(7, use_bias=False), jnp.eye(5), (5, 7)),
                          (nn.Conv(6, (3, 3), use_bias=False), jnp.ones((1, 4, 4, 2)),
                           (3, 3, 2, 6))):
    module = _Wrapped(layer)
    variables = module.init(KEY, x, False)
    w = rng.normal(size=shape).astype(np.float32)
    params = jax.tree.map(lambda _: jnp.asarray(w), variables['params'])
    variables = _power_iterate(module, x, {**variables, 'params': params}, 60)
    top = np.linalg.svd(w.reshape(-1, shape[-1]), compute_uv=False)[0]
    np.testing.assert_allclose(_sigma(variables[COLLECTION]), top, rtol=1e-4)
    if shape == (5, 7):   # the layer applies W / sigma: its spectral norm is 1
      applied = np.asarray(module.apply(variables, x, False))     # x = I: W / sigma
      np.testing.assert_allclose(np.linalg.svd(applied, compute_uv=False)[0], 1.0, rtol=1e-4)
  # Without update_stats the stored vector does not move.
  before = variables[COLLECTION]
  _, after = module.apply(variables, x, False, mutable=[COLLECTION])
  jax.tree.map(np.testing.assert_array_equal, before, after[COLLECTION])


def test_self_attention_matches_numpy():
  rng = np.random.default_rng(1)
  x = rng.normal(size=(2, 3, 4, 16)).astype(np.float32)
  block = SelfAttention()
  params = block.init(KEY, jnp.asarray(x))['params']
  np.testing.assert_array_equal(block.apply({'params': params}, jnp.asarray(x)), x)  # gamma=0
  params = jax.tree.map(lambda v: jnp.asarray(rng.normal(size=v.shape), jnp.float32), params)
  got = block.apply({'params': params}, jnp.asarray(x))
  k = {name: np.asarray(params[name]['kernel'])[0, 0] for name in 'fghv'}
  flat = x.reshape(2, 12, 16)
  f, g, h = flat @ k['f'], flat @ k['g'], flat @ k['h']
  want = np.zeros_like(x)
  for b in range(2):
    logits = f[b] @ g[b].T                     # [i, j] = f_i . g_j
    beta = np.exp(logits - logits.max(0)) / np.exp(logits - logits.max(0)).sum(0)
    o = (beta.T @ h[b]) @ k['v']               # o_j = v(sum_i beta[i, j] h_i)
    want[b] = x[b] + float(params['gamma']) * o.reshape(3, 4, 16)
  np.testing.assert_allclose(got, want, rtol=2e-4, atol=2e-4)


def test_conditional_batch_norm_matches_numpy():
  rng = np.random.default_rng(2)
  x = rng.normal(2.0, 3.0, size=(6, 2, 2, 3)).astype(np.float32)
  y = np.array([0, 1, 2, 0, 1, 2])
  cbn = ConditionalBatchNorm(num_classes=3)
  params = cbn.init(KEY, jnp.asarray(x), jnp.asarray(y))['params']
  scale = rng.normal(size=(3, 3)).astype(np.float32)
  shift = rng.normal(size=(3, 3)).astype(np.float32)
  params = {'scale': {'embedding': jnp.asarray(scale)}, 'shift': {'embedding': jnp.asarray(shift)}}
  got = cbn.apply({'params': params}, jnp.asarray(x), jnp.asarray(y))
  normed = (x - x.mean((0, 1, 2))) / np.sqrt(x.var((0, 1, 2)) + 1e-5)
  want = normed * scale[y][:, None, None] + shift[y][:, None, None]
  np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
  plain = ConditionalBatchNorm()
  p = plain.init(KEY, jnp.asarray(x))['params']
  np.testing.assert_allclose(plain.apply({'params': p}, jnp.asarray(x)), normed, atol=1e-4)
