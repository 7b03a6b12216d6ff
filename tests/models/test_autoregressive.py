"""Autoregressive models against exact answers: probabilities of every possible tiny image sum
to 1 (a leak from the future would break this), samples and completions follow the exact
(conditional) probabilities, inpainting keeps what it is given, densities integrate to 1."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from experiments.configs.autoregressive import common
from gdm.models.autoregressive import heads, nets, sampling
from gdm.models.autoregressive.config import AutoregressiveConfig
from gdm.utils import schema
from tests.models.ar_models import all_binary, tiny_model

KEY = jax.random.key(0, impl='rbg')


TRANSFORMER_2X2 = {  # every pattern on a 2x2 image (local_2d: 1x1 query blocks, block order)
    'full': {}, 'local_1d': dict(local_1d=dict(query_block=2, memory=1)),
    'local_2d': dict(local_2d=dict(query_rows=1, query_cols=1, memory_rows=1, memory_cols=0)),
    'strided': dict(strided=dict(stride=2)), 'fixed': dict(fixed=dict(stride=2))}


@pytest.mark.parametrize('net, extra', [('pixelcnn', {}), ('gated_pixelcnn', {}),
                                        ('made', {}), ('nade', {})] + [
    ('image_transformer', dict(attention=a, **kw)) for a, kw in TRANSFORMER_2X2.items()])
def test_binary_probabilities_of_all_images_sum_to_one(net, extra):
  m, params, state = tiny_model((2, 2, 1), net=net, conditional=True,
                                **({net: extra} if extra else {}))
  x = all_binary((2, 2, 1))
  y = jnp.ones((len(x),), jnp.int32)
  evaluate = jax.jit(m.evaluate)
  out = evaluate(params, state, {'x': jnp.asarray(x), 'y': y}, KEY)
  np.testing.assert_allclose(np.exp(-out['nll']).sum(), 1.0, rtol=1e-5)
  np.testing.assert_allclose(out['bpd'], out['nll'] / (4 * math.log(2)), rtol=1e-6)
  other = evaluate(params, state, {'x': jnp.asarray(x), 'y': 2 * y}, KEY)['nll']
  assert np.abs(np.asarray(other - out['nll'])).max() > 1e-3     # the class label is used


def test_eight_bit_models_normalise_over_all_values_of_a_two_channel_pixel():
  values = np.arange(256) / 127.5 - 1
  grid = np.stack(np.meshgrid(values, values, indexing='ij'), -1).reshape(-1, 1, 1, 2)
  for model in (dict(net='gated_pixelcnn', likelihood='categorical',
                     gated_pixelcnn=dict(features=4, head_features=4)),
                dict(net='pixelcnn_pp', likelihood='logistic_mixture',
                     pixelcnn_pp=dict(levels=1)),
                dict(net='image_transformer', likelihood='categorical'),
                dict(net='image_transformer', likelihood='logistic_mixture')):
    m, params, state = tiny_model((1, 1, 2), binarize='none', **model)
    out = jax.jit(m.evaluate)(params, state, {'x': jnp.asarray(grid, jnp.float32)}, KEY)
    np.testing.assert_allclose(np.exp(-np.asarray(out['nll'], np.float64)).sum(), 1.0,
                               rtol=1e-4)


@pytest.mark.parametrize('net', ['pixelcnn', 'image_transformer'])
def test_samples_and_completions_follow_the_exact_probabilities(net):
  m, params, state = tiny_model((2, 2, 1), net=net)
  images = all_binary((2, 2, 1))
  p = np.exp(-np.asarray(jax.jit(m.evaluate)(params, state, {'x': jnp.asarray(images)},
                                             KEY)['nll']))
  index = lambda x: (np.asarray(x).reshape(len(x), 4) @ [8, 4, 2, 1]).astype(int)
  n = 6000
  draws = jax.jit(m.sample, static_argnums=3)(params, state, KEY, n, {})
  assert set(np.unique(np.asarray(draws))) <= {0.0, 1.0}
  freq = np.bincount(index(draws), minlength=16) / n
  assert 0.5 * np.abs(freq - p).sum() < 0.04, (freq, p)
  # Completion of the bottom row given the top row (1, 0): p(x3, x4 | x1=1, x2=0).
  given = jnp.broadcast_to(jnp.asarray([[1.0, 0.0], [0.0, 0.0]])[None, :, :, None], (n, 2, 2, 1))
  observed = sampling.rows_observed(given.shape, 1)
  head = heads.Bernoulli()
  grid_net = nets.build(schema.parse(AutoregressiveConfig, common.model_config(
      **common.smoke(net=net))), (2, 2, 1), 1, vocabulary=head.vocabulary)
  stepper = grid_net.stepper(params['model'], None, lambda g: g, None)       # cached
  filled = jax.jit(lambda k: sampling.complete(stepper, head, k, given,
                                               sampling.prefix_lengths(observed, False)))(KEY)
  np.testing.assert_array_equal(np.asarray(filled)[:, 0], np.asarray(given)[:, 0])
  cond = p[8:12] / p[8:12].sum()            # images 10xy
  freq = np.bincount(index(filled) - 8, minlength=4) / n
  assert 0.5 * np.abs(freq - cond).sum() < 0.04, (freq, cond)


def test_inpaint_mode_keeps_the_observed_rows():
  m, params, state = tiny_model((4, 4, 3), binarize='none', net='gated_pixelcnn',
                            likelihood='categorical',
                            gated_pixelcnn=dict(features=6, head_features=6))
  x = jnp.asarray(np.random.default_rng(0).integers(0, 256, size=(3, 4, 4, 3)) / 127.5 - 1,
                  jnp.float32)
  out = jax.jit(m.modes['inpaint'])(params, state, {'x': x}, KEY)['inpainting']
  shown, filled, original = np.asarray(out)
  np.testing.assert_array_equal(filled[:, :2], np.asarray(x)[:, :2])
  np.testing.assert_array_equal(original, np.asarray(x))
  np.testing.assert_allclose((filled + 1) * 127.5, np.round((filled + 1) * 127.5), atol=1e-4)
  assert np.all(shown[:, 2:] == 0) and not np.all(filled[:, 2:] == np.asarray(x)[:, 2:])


def test_masks_that_are_not_a_raster_prefix_are_rejected():
  mask = sampling.rows_observed((2, 3, 3, 2), 1)
  assert list(sampling.prefix_lengths(mask, False)) == [6, 6]
  bad = mask.copy()
  bad[1, 2, 2] = True                          # a pixel below the observed rows
  with pytest.raises(ValueError, match='example 1 is not a raster-order prefix'):
    sampling.prefix_lengths(bad, False)
  half_pixel = mask.copy()
  half_pixel[:, 1, 0, 0] = True                # the red channel of the next pixel only
  assert list(sampling.prefix_lengths(half_pixel, False)) == [7, 7]
  with pytest.raises(ValueError, match='all channels of a pixel or none'):
    sampling.prefix_lengths(half_pixel, True)


def test_made_density_on_a_2d_toy_integrates_to_one():
  m, params, state = tiny_model((2,), kind='vector', binarize='none', net='made',
                            likelihood='gaussian_mixture', made=dict(hidden=(16,)))
  t = np.linspace(-8, 8, 321)
  grid = np.stack(np.meshgrid(t, t, indexing='ij'), -1).reshape(-1, 2)
  out = jax.jit(m.evaluate)(params, state, {'x': jnp.asarray(grid, jnp.float32)}, KEY)
  assert 'bpd' not in out
  np.testing.assert_allclose(np.exp(-np.asarray(out['nll'])).sum() * (t[1] - t[0]) ** 2, 1.0,
                             rtol=2e-3)


def test_gaussian_mixture_head_matches_scipy():
  rng = np.random.default_rng(0)
  out = rng.normal(size=(5, 6)).astype(np.float32)
  x = rng.normal(size=(5,)).astype(np.float32)
  w = np.exp(out[:, :2]) / np.exp(out[:, :2]).sum(1, keepdims=True)
  want = np.log((w * stats.norm.pdf(x[:, None], out[:, 2:4], np.exp(out[:, 4:]))).sum(1))
  got = heads.GaussianMixture(2).log_prob(jnp.asarray(out), jnp.asarray(x))
  np.testing.assert_allclose(got, want, rtol=1e-5)
