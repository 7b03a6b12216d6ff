"""The cached samplers (row caches for the conv nets, a key/value cache for the transformer)
draw exactly what the recomputing sampler draws for the same keys, from scratch and when
completing an observed prefix; a row step computes what the full pass computes."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.autoregressive import common
from gdm.models.autoregressive import heads, nets
from gdm.models.autoregressive.config import AutoregressiveConfig
from gdm.utils import schema
from tests.helpers import random_like
from tests.models.ar_models import eight_bit, tiny_model

KEY = jax.random.key(3, impl='rbg')
RGB = dict(binarize='none', likelihood='categorical')
MIXTURE = dict(binarize='none', likelihood='logistic_mixture')
CASES = {
    'pixelcnn_binary': ((3, 3, 1), dict(net='pixelcnn', conditional=True)),
    'pixelcnn_rgb': ((3, 4, 3), dict(net='pixelcnn', pixelcnn=dict(features=6), **RGB)),
    'gated_pixelcnn': ((4, 3, 3), dict(net='gated_pixelcnn', conditional=True, **RGB,
                                       gated_pixelcnn=dict(features=6, head_features=6))),
    'pixelcnn_pp': ((4, 4, 3), dict(net='pixelcnn_pp', conditional=True, **MIXTURE)),
    'transformer_local_2d': ((4, 4, 3), dict(
        net='image_transformer', conditional=True, **RGB, image_transformer=dict(
            attention='local_2d', local_2d=dict(query_rows=2, query_cols=2)))),
    'transformer_mixture': ((4, 4, 3), dict(
        net='image_transformer', **MIXTURE, image_transformer=dict(
            attention='strided', combine='heads'))),
}


def _pair(shape, model):
  cached, params, state = tiny_model(shape, sampler='cached', **model)
  recompute, _, _ = tiny_model(shape, sampler='recompute', **model)
  return cached, recompute, params, state


@pytest.mark.parametrize('case', CASES)
def test_cached_sampler_draws_what_the_recomputing_sampler_draws(case):
  shape, model = CASES[case]
  cached, recompute, params, state = _pair(shape, model)
  draw = lambda m: jax.jit(m.sample, static_argnums=3)(params, state, KEY, 3, {})
  a, b = np.asarray(draw(cached)), np.asarray(draw(recompute))
  np.testing.assert_array_equal(a, b)
  assert len(np.unique(a.reshape(3, -1), axis=0)) == 3          # not a degenerate draw
  x = (eight_bit(np.random.default_rng(1), (2,) + shape) if 'binarize' in model
       else jnp.asarray(np.random.default_rng(1).integers(0, 2, (2,) + shape), jnp.float32))
  batch = {'x': x, 'y': jnp.asarray([1, 2], jnp.int32)}
  fill = lambda m: np.asarray(jax.jit(m.modes['inpaint'])(params, state, batch, KEY)[
      'inpainting'])
  np.testing.assert_array_equal(fill(cached), fill(recompute))


def test_pixelcnn_pp_rows_equal_the_full_pass_at_every_level():
  m = schema.parse(AutoregressiveConfig, common.model_config(**common.smoke(
      net='pixelcnn_pp', likelihood='logistic_mixture', pixelcnn_pp=dict(levels=3))))
  net = nets.build(m, (8, 8, 3), heads.LogisticMixture(3, 2).num_params, 3, True)
  x = eight_bit(np.random.default_rng(2), (2, 8, 8, 3))
  cond = jnp.asarray([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
  # Unscaled random weights: doubled ones grow activations to ~500 over three levels.
  params = random_like(jax.eval_shape(net.init, jax.random.key(0), x, cond),
                       np.random.default_rng(0))

  @jax.jit
  def rows(x):
    cache = net.prime(params, x, cond, 0)                  # an empty cache
    out = []
    for r in range(8):                                     # rows in order, as a sampler
      o, cache = net.row(params, cache, x, cond, r)
      out.append(o)
    return jnp.stack(out, 1)

  full = jax.jit(net.apply)(params, x, cond)
  np.testing.assert_allclose(rows(x), full, rtol=1e-5, atol=1e-5 * np.abs(full).max())


def test_inpainting_with_2d_local_attention_needs_whole_bands_of_query_blocks():
  shape, model = CASES['transformer_local_2d']                  # query blocks of 2 rows
  m, params, state = tiny_model(shape, inpaint_rows=1, **model)
  batch = {'x': eight_bit(np.random.default_rng(4), (2,) + shape),
           'y': jnp.asarray([0, 1], jnp.int32)}
  with pytest.raises(ValueError, match='not a prefix of the generation order .* observe '
                                       'whole bands') as e:
    jax.jit(m.modes['inpaint'])(params, state, batch, KEY)
  assert '\n' not in str(e.value)
