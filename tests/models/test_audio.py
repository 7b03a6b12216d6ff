"""The audio family (WaveNet on mu-law audio): its likelihood is a normalised distribution
over every clip (exact enumeration), factorises into the per-step conditionals, is reported
in nats and bits per sample; the fast (queue) sampler draws exactly the naive sampler's
clips for the same keys; bad configs are one-line errors."""
import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.audio import common
from experiments.configs.default import get_config
from gdm.data import mu_law
from gdm.data.source import DatasetInfo
from gdm.models import audio
from gdm.models.audio import family, modes, sampling
from gdm.nn.wavenet import WaveNet
from gdm.train.config import parse_run
from tests.helpers import random_like

TINY = dict(wavenet=dict(channels=4, skip_channels=8, head_channels=8, layers_per_stack=3,
                         stacks=1), num_mixtures=2)
SCALAR = dict(wavenet={**TINY['wavenet'], 'input': 'scalar'})    # the level as one channel


def _run(length=12, classes=0, **model):
  config = get_config()
  config.model = common.model_config(**{**TINY, **model})
  info = DatasetInfo('clips', (length,), 'audio', num_classes=classes, sample_rate=8000)
  return parse_run(config, audio.FAMILY.config), info


def _built(length=12, classes=0, **model):
  run, info = _run(length, classes, **model)
  a = family.build(run, info)
  x = jnp.zeros((1, length, a.net.num_values))
  cond = jnp.zeros((1, classes)) if classes else None
  shapes = jax.eval_shape(a.net.init, jax.random.key(0), x, cond)
  params = {'model': random_like(shapes, np.random.default_rng(1))['params']}
  return a, params


def _clips(n, length, seed=0):
  return mu_law.decode(np.random.default_rng(seed).integers(0, 256, (n, length)))


@pytest.mark.parametrize('likelihood,inputs', [('categorical', {}), ('logistic_mixture', {}),
                                               ('categorical', SCALAR)])
def test_every_two_sample_clip_has_a_probability_and_they_sum_to_one(likelihood, inputs):
  a, params = _built(length=2, likelihood=likelihood, **inputs)
  q = np.stack(np.meshgrid(np.arange(256), np.arange(256), indexing='ij'), -1).reshape(-1, 2)
  log_p = jax.jit(functools.partial(family.log_prob, a, params, y=None))
  total = sum(float(jnp.exp(log_p(mu_law.level(part))).sum()) for part in np.split(q, 8))
  assert abs(total - 1) < 1e-4, total


@pytest.mark.parametrize('likelihood,inputs', [('categorical', {}), ('logistic_mixture', {}),
                                               ('logistic_mixture', SCALAR)])
def test_log_prob_is_the_sum_of_the_step_conditionals(likelihood, inputs):
  a, params = _built(classes=3, conditional=True, likelihood=likelihood, **inputs)
  x = _clips(2, 12)
  y = jnp.array([0, 2])
  levels = family.to_levels(x)
  cond = family.cond_of(a, y)
  queues, total = a.net.queues(2), 0.0
  inputs = sampling.net_input(levels, a.net.num_values)
  step = jax.jit(functools.partial(a.net.apply, {'params': params['model']}, method=WaveNet.step))
  for t in range(12):
    out, queues = step(inputs[:, max(t - 1, 0)], cond, queues, t)
    if likelihood == 'categorical':
      total += jnp.take_along_axis(jax.nn.log_softmax(out), mu_law.encode(x)[:, t, None], 1)[:, 0]
    else:
      total += a.head.log_prob(out, levels[:, t, None])
  np.testing.assert_allclose(family.log_prob(a, params, levels, y), total, rtol=1e-5)
  values = family.evaluate(a, params, {}, {'x': x, 'y': y}, None)
  np.testing.assert_allclose(values['nll'], -total, rtol=1e-5)
  np.testing.assert_allclose(values['bits_per_sample'], -total / (12 * np.log(2)), rtol=1e-5)
  loss, (metrics, _) = family.loss(a, params, {}, {'x': x, 'y': y}, None, 0)
  np.testing.assert_allclose(loss, -np.mean(total), rtol=1e-5)


@pytest.mark.parametrize('model', [dict(likelihood='logistic_mixture'),
                                   dict(conditional=True), SCALAR])
def test_the_fast_sampler_draws_exactly_the_naive_samplers_clips(model):
  a, params = _built(length=16, classes=3, **model)
  y = jnp.arange(3) if a.num_classes else None
  cond = family.cond_of(a, y)
  canvas, lengths = jnp.zeros((3, 16)), np.zeros(3, np.int64)
  key = jax.random.key(7)
  draws = {}
  for name, fn in sampling.SAMPLERS.items():
    draw = jax.jit(lambda k, fn=fn: fn(a.net, a.head, params['model'], cond, k, canvas,
                                       lengths))
    draws[name] = np.asarray(draw(key))
  np.testing.assert_array_equal(draws['fast'], draws['naive'])
  codes = mu_law.code_of_level(draws['fast'])
  np.testing.assert_allclose(mu_law.level(codes), draws['fast'], atol=1e-6)   # on the grid
  assert len(np.unique(np.asarray(codes))) > 3                               # not constant
  other = jax.jit(lambda k: sampling.fast(a.net, a.head, params['model'], cond, k, canvas,
                                          lengths))(jax.random.key(8))
  assert not np.array_equal(np.asarray(other), draws['fast'])


def test_continuations_keep_the_prime_and_agree_between_samplers():
  a, params = _built(length=16)
  levels = family.to_levels(_clips(2, 16))
  lengths = np.array([5, 9])
  canvas = levels * (np.arange(16) < lengths[:, None])
  key = jax.random.key(3)
  out = {name: np.asarray(jax.jit(lambda k, fn=fn: fn(a.net, a.head, params['model'], None, k,
                                                      canvas, lengths))(key))
         for name, fn in sampling.SAMPLERS.items()}
  np.testing.assert_array_equal(out['fast'], out['naive'])
  for n, keep in enumerate(lengths):
    np.testing.assert_array_equal(out['fast'][n, :keep], levels[n, :keep])


def test_sample_and_the_continue_mode_give_waveforms():
  a, params = _built(length=16, classes=3, conditional=True, prime_samples=6)
  x = np.asarray(jax.jit(functools.partial(family.sample, a), static_argnums=3)(
      params, {}, jax.random.key(0), 4, {}))
  assert x.shape == (4, 16) and np.abs(x).max() <= 1
  np.testing.assert_allclose(mu_law.decode(mu_law.encode(x)), x, atol=1e-6)   # mu-law values
  clips = _clips(3, 16)
  out = modes.continue_(a, params, {}, {'x': clips, 'y': jnp.array([0, 1, 2])},
                        jax.random.key(1))
  np.testing.assert_allclose(out['original'], mu_law.decode(mu_law.encode(clips)), atol=1e-6)
  np.testing.assert_allclose(out['continuation'][:, :6], out['original'][:, :6], atol=1e-6)
  assert out['continuation'].shape == (3, 16)


def test_bad_configs_are_one_line_errors_naming_the_key():
  cases = [
      (dict(wavenet=dict(chanels=4)), "unknown config key 'model.wavenet.chanels'; did you mean "
                                      "model.wavenet.channels?"),
      (dict(likelihood='gaussian'), "unknown audio likelihood 'gaussian' in model.likelihood"),
      (dict(sampler='slow'), "unknown audio sampler 'slow' in model.sampler"),
      (dict(wavenet=dict(kernel_size=1)), 'model.wavenet.kernel_size=1 must be >= 2'),
      (dict(wavenet=dict(input='raw')), "unknown WaveNet input 'raw' in model.wavenet.input"),
  ]
  for model, message in cases:
    with pytest.raises(ValueError) as e:
      common.model_config(**model)
    assert str(e.value).startswith(message) and '\n' not in str(e.value), str(e.value)
  run, info = _run(conditional=True)
  with pytest.raises(ValueError, match=r"^model.conditional=True needs a labelled dataset"):
    audio.FAMILY.model(run, info)
  run, info = _run(length=8, prime_samples=8)
  with pytest.raises(ValueError, match=r"^model.prime_samples=8 must be smaller than the clip "
                                       r"length 8"):
    audio.FAMILY.model(run, info)
  run, _ = _run()
  with pytest.raises(ValueError, match=r"^the audio family needs audio data .* 'moons' holds "
                                       r"vectors"):
    audio.FAMILY.model(run, DatasetInfo('moons', (2,), 'vector'))
