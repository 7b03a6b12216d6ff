"""VQ-VAE-2: the codec's loss against a numpy recomputation (nearest codes by brute force at
both levels, the bottom latents from the quantized top), its code map shapes; the priors'
NLL against log-softmax by hand, and sampling end to end (top prior, bottom prior given the
drawn top codes, decoder) from the model's `sample`."""
import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from experiments.configs.vqvae2 import vqvae2_digits
from experiments.configs.vqvae2_prior import vqvae2_digits as prior_digits
from gdm.data.source import DatasetInfo
from gdm.models import vqvae2, vqvae2_prior
from gdm.models.vqvae2 import family as codec_lib
from gdm.models.vqvae2.nets import VQVAE2Nets
from gdm.models.vqvae2_prior import family as prior_lib
from gdm.train.config import parse_run
from tests.helpers import one_line_error, random_like

DIGITS = DatasetInfo('digits', (16, 16, 1), 'image', num_classes=10)
KEY = jax.random.key(0, impl='rbg')


def batch_of(n=4, seed=0):
  x = np.random.default_rng(seed).uniform(-1, 1, size=(n,) + DIGITS.shape)
  return {'x': jnp.asarray(x, jnp.float32), 'y': jnp.arange(n, dtype=jnp.int32)}


def randomised(m, batch, seed=1):
  shapes, state = jax.eval_shape(m.init, KEY, batch)
  params = random_like(shapes, np.random.default_rng(seed))
  return params, jax.jit(m.init)(KEY, batch)[1]


def nearest(z, codebook):
  """Brute force: the codebook row closest to every vector of z [..., D]."""
  d = ((np.asarray(z)[..., None, :] - np.asarray(codebook)) ** 2).sum(-1)
  return d.argmin(-1)


def test_codec_loss_is_squared_error_plus_beta_times_both_commitments():
  c = vqvae2_digits.get_config('smoke')
  m = vqvae2.FAMILY.model(c, DIGITS)
  v = codec_lib.build(parse_run(c, vqvae2.FAMILY.config), DIGITS)
  assert v.code_shapes == {'bottom': (4, 4), 'top': (2, 2)}
  batch = batch_of()
  params, state = randomised(m, batch)
  loss, (metrics, new_state) = jax.jit(m.players[0].loss_fn)(params, state, batch, KEY, 0)
  apply = functools.partial(v.nets.apply, {'params': params['model']})
  h_b, z_t = apply(batch['x'], method=VQVAE2Nets.encode)
  e_t = np.asarray(state['top']['codebook'])[nearest(z_t, state['top']['codebook'])]
  z_b = apply(h_b, jnp.asarray(e_t), method=VQVAE2Nets.bottom_latents)
  codes_b = nearest(z_b, state['bottom']['codebook'])
  e_b = np.asarray(state['bottom']['codebook'])[codes_b]
  x_hat = np.asarray(apply(jnp.asarray(e_t), jnp.asarray(e_b), method=VQVAE2Nets.decode))
  per = lambda a: a.reshape(a.shape[0], -1).sum(1)
  want = per((x_hat - np.asarray(batch['x'])) ** 2) + 0.25 * (
      per((np.asarray(z_t) - e_t) ** 2) + per((np.asarray(z_b) - e_b) ** 2))
  np.testing.assert_allclose(float(loss), want.mean(), rtol=1e-5)
  np.testing.assert_array_equal(
      jax.jit(functools.partial(codec_lib.codes_of, v))(params, state, batch['x'])['bottom'],
      codes_b)
  assert float(metrics['perplexity_top']) >= 1 and 'restarted_bottom' in metrics  # threshold 1
  for level in ('top', 'bottom'):        # EMA codebooks: moved by the step, not by gradients
    assert not np.allclose(new_state[level]['codebook'], state[level]['codebook'])
    assert 'codebook' not in str(jax.tree_util.tree_structure(params))


def prior_setup(**model):
  c = prior_digits.get_config('smoke')
  c.model.update(model)
  m = vqvae2_prior.FAMILY.model(c, DIGITS)
  pr = prior_lib.build(parse_run(c, vqvae2_prior.FAMILY.config), DIGITS)
  batch = batch_of()
  params, state = randomised(m, batch)
  return m, pr, params, state, batch


def test_prior_nll_is_the_log_softmax_of_the_true_codes_at_both_levels():
  m, pr, params, state, batch = prior_setup()
  out = jax.jit(m.evaluate)(params, state, batch, KEY)
  grids = prior_lib.code_grids(pr, state, batch['x'])
  for level in ('top', 'bottom'):
    logits = np.asarray(prior_lib.outputs(pr, params, level, None, grids['top'],
                                          grids[level]), np.float64)
    logits = logits.reshape(logits.shape[0], -1, pr.codec.m.num_codes)
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    codes = np.asarray(grids[level]).reshape(logits.shape[0], -1).astype(int)
    want = -np.take_along_axis(logp, codes[..., None], -1)[..., 0].sum(1)
    np.testing.assert_allclose(out[f'nll_{level}'], want, rtol=1e-5)
  np.testing.assert_allclose(out['bits_per_code'],
                             (out['nll_top'] + out['nll_bottom']) / (20 * math.log(2)), rtol=1e-6)
  loss, _ = jax.jit(m.players[1].loss_fn)(params, state, batch, KEY, 0)   # the bottom player
  np.testing.assert_allclose(float(loss), float(out['nll_bottom'].mean()), rtol=1e-5)


def test_sampling_runs_top_prior_then_bottom_prior_given_it_then_the_decoder():
  m, pr, params, state, batch = prior_setup(conditional=True)
  images = jax.jit(m.sample, static_argnums=3)(params, state, KEY, 3, batch)
  assert images.shape == (3,) + DIGITS.shape and bool(jnp.all(jnp.isfinite(images)))
  y = jnp.arange(3) % 10
  codes = jax.jit(functools.partial(prior_lib.sample_codes, pr, num=3))(params, KEY, y=y)
  assert codes['top'].shape == (3, 2, 2, 1) and codes['bottom'].shape == (3, 4, 4, 1)
  ints = {k: np.asarray(g[..., 0]).astype(np.int32) for k, g in codes.items()}
  assert all(0 <= c.min() and c.max() < 16 for c in ints.values())
  s = state['vqvae2']
  np.testing.assert_allclose(
      images, codec_lib.decode_codes(pr.codec, s['params'], s['model_state'], ints), atol=1e-5)
  # The bottom prior reads the drawn top codes: other top codes, other bottom logits.
  other = (codes['top'] + 1) % 16
  a, b = (prior_lib.outputs(pr, params, 'bottom', y, t, codes['bottom']) for t in
          (codes['top'], other))
  assert not np.allclose(a, b)


def test_prior_config_errors_are_one_line():
  c = prior_digits.get_config('smoke')
  c.model.untrained_vqvae2 = None
  err = one_line_error(lambda: vqvae2_prior.FAMILY.model(c, DIGITS))
  assert err.startswith('model.vqvae2_workdir is not set')
  c = prior_digits.get_config('smoke')
  c.model.conditional = True
  err = one_line_error(lambda: vqvae2_prior.FAMILY.model(
      c, DatasetInfo('celeb_a', (16, 16, 1), 'image', 0)))
  assert 'model.conditional=True needs a labelled dataset' in err
  c = vqvae2_digits.get_config('smoke')
  c.model.top_channels = (8, 8, 8)
  err = one_line_error(lambda: vqvae2.FAMILY.model(c, DIGITS))
  assert 'not divisible by 2**5' in err
