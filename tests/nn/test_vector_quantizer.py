"""Vector quantizer: assignments, straight-through gradients, losses, EMA codebook, restarts
and usage statistics, each against a numpy computation or a closed form."""
import jax
import jax.numpy as jnp
import numpy as np

from gdm.nn import vector_quantizer as vq

KEY = jax.random.key(0, impl='rbg')


def _data(seed=0, shape=(3, 4, 4, 5), k=7):
  rng = np.random.default_rng(seed)
  return (rng.normal(size=shape).astype(np.float32),
          rng.normal(size=(k, shape[-1])).astype(np.float32))


def _np_nearest(z, codebook):
  flat = z.reshape(-1, z.shape[-1]).astype(np.float64)
  d = ((flat[:, None, :] - codebook[None].astype(np.float64)) ** 2).sum(-1)
  return d.argmin(1).reshape(z.shape[:-1])


def test_nearest_codes_match_brute_force():
  z, codebook = _data()
  got = np.asarray(jax.jit(vq.nearest_codes)(z, codebook))
  assert got.dtype == np.int32 and got.shape == (3, 4, 4)
  np.testing.assert_array_equal(got, _np_nearest(z, codebook))
  d = np.asarray(vq.squared_distances(z.reshape(-1, 5), codebook))
  want = ((z.reshape(-1, 1, 5) - codebook[None]) ** 2).sum(-1)
  np.testing.assert_allclose(d, want, rtol=1e-5, atol=1e-5)


def test_quantize_forward_and_losses():
  z, codebook = _data(1)
  out = jax.jit(vq.quantize)(z, codebook)
  codes = _np_nearest(z, codebook)
  e = codebook[codes]
  np.testing.assert_array_equal(out['codes'], codes)
  np.testing.assert_allclose(out['z_q'], e, atol=1e-6)         # forward value: the codes
  sq = ((z - e) ** 2).reshape(3, -1).sum(1)                     # ||z_e - e||^2 per example
  np.testing.assert_allclose(out['codebook_loss'], sq, rtol=1e-5)
  np.testing.assert_allclose(out['commitment_loss'], sq, rtol=1e-5)


def test_straight_through_gradient_reaches_the_encoder_output():
  z, codebook = _data(2)
  w = np.random.default_rng(3).normal(size=z.shape).astype(np.float32)
  decoder_loss = lambda u: jnp.sum(jnp.sin(u) * w)              # any downstream loss
  through = jax.grad(lambda z_e: decoder_loss(vq.quantize(z_e, codebook)['z_q']))(z)
  at_codes = jax.grad(decoder_loss)(jnp.asarray(codebook[_np_nearest(z, codebook)]))
  # (z_e + (e - z_e) rounds to e within an ulp, hence not bit-equal.)
  np.testing.assert_allclose(through, at_codes, rtol=1e-5, atol=1e-6)
  np.testing.assert_allclose(at_codes, np.cos(codebook[_np_nearest(z, codebook)]) * w,
                             rtol=1e-5)
  # The straight-through output carries no gradient to the codebook.
  g = jax.grad(lambda c: decoder_loss(vq.quantize(z, c)['z_q']))(codebook)
  np.testing.assert_array_equal(g, 0)


def test_loss_gradients_go_where_the_stop_gradients_say():
  z, codebook = _data(4)
  codes = _np_nearest(z, codebook)
  e = codebook[codes]
  cb = lambda z_e, c: vq.quantize(z_e, c)['codebook_loss'].sum()
  cm = lambda z_e, c: vq.quantize(z_e, c)['commitment_loss'].sum()
  # Codebook loss moves only the codes: d/de_k = sum over assigned z of 2 (e_k - z).
  gz, gc = jax.grad(cb, argnums=(0, 1))(z, codebook)
  np.testing.assert_array_equal(gz, 0)
  want = np.zeros_like(codebook)
  np.add.at(want, codes.reshape(-1), 2 * (e - z).reshape(-1, 5))
  np.testing.assert_allclose(gc, want, rtol=1e-5, atol=1e-5)
  # Commitment loss moves only the encoder output: d/dz = 2 (z - e).
  gz, gc = jax.grad(cm, argnums=(0, 1))(z, codebook)
  np.testing.assert_allclose(gz, 2 * (z - e), rtol=1e-5, atol=1e-6)
  np.testing.assert_array_equal(gc, 0)


def test_perplexity_and_usage_closed_forms():
  for k in (1, 5, 16):
    _check_closed_forms(k)


def _check_closed_forms(k):
  uniform = jnp.full((k,), 3.0)
  np.testing.assert_allclose(vq.perplexity(uniform), k, rtol=1e-5)
  np.testing.assert_allclose(vq.usage(uniform), 1.0)
  single = jnp.zeros((k,)).at[0].set(10.0)
  np.testing.assert_allclose(vq.perplexity(single), 1.0, rtol=1e-6)
  np.testing.assert_allclose(vq.usage(single), 1.0 / k)


def test_perplexity_from_codes_matches_numpy():
  codes = jnp.asarray([[0, 0, 1], [2, 0, 1]])                    # frequencies 3, 2, 1 of 6
  counts = vq.code_counts(codes, 4)
  np.testing.assert_array_equal(counts, [3, 2, 1, 0])
  p = np.array([3, 2, 1]) / 6
  np.testing.assert_allclose(vq.perplexity(counts), np.exp(-(p * np.log(p)).sum()), rtol=1e-6)
  np.testing.assert_allclose(vq.usage(counts), 0.75)
  # Weights drop (padded) examples.
  np.testing.assert_array_equal(vq.code_counts(codes, 4, jnp.asarray([1.0, 0.0])), [2, 1, 0, 0])


def _np_ema_step(state, z, decay, eps):
  """The paper's appendix A.1 EMA with Sonnet's debiasing and Laplace smoothing, in numpy."""
  k, d = state['codebook'].shape
  flat = z.reshape(-1, d).astype(np.float64)
  codes = _np_nearest(flat, state['codebook'])
  one_hot = np.eye(k)[codes]
  t = state['updates'] + 1
  n_biased = decay * state['cluster_size'] + (1 - decay) * one_hot.sum(0)
  m_biased = decay * state['embed_sum'] + (1 - decay) * one_hot.T @ flat
  n_hat, m_hat = n_biased / (1 - decay ** t), m_biased / (1 - decay ** t)
  total = n_hat.sum()
  smoothed = (n_hat + eps) / (total + k * eps) * total
  return {'codebook': m_hat / smoothed[:, None], 'cluster_size': n_biased,
          'embed_sum': m_biased, 'updates': t}


def test_ema_update_matches_numpy_over_two_steps():
  decay, eps = 0.9, 1e-3
  _, codebook = _data(5, k=6)
  rng = np.random.default_rng(6)
  state = jax.tree.map(np.asarray, vq.ema_init(jnp.asarray(codebook)))
  state_np = {k: np.asarray(v, np.float64) for k, v in state.items()}
  state_np['updates'] = 0
  update = jax.jit(vq.ema_update, static_argnums=(3, 4))
  for step in range(2):
    z = rng.normal(size=(4, 3, 3, 5)).astype(np.float32)
    codes = vq.nearest_codes(jnp.asarray(z), state['codebook'])
    state = update(state, jnp.asarray(z), codes, decay, eps)
    state_np = _np_ema_step(state_np, z, decay, eps)
    for name in ('codebook', 'cluster_size', 'embed_sum'):
      np.testing.assert_allclose(state[name], state_np[name], rtol=1e-4, atol=1e-6,
                                 err_msg=f'{name} at step {step}')
    assert int(state['updates']) == step + 1
  # Debiased sizes count assignments per batch: they sum to the 36 vectors of a batch.
  np.testing.assert_allclose(vq.ema_cluster_sizes(state, decay).sum(), 36, rtol=1e-5)


def test_ema_codebook_of_a_single_step_is_the_cluster_mean():
  # After one update (debiased), a used code is the mean of its vectors (eps -> 0).
  z = jnp.asarray([[[0.0, 0.0]], [[1.0, 1.0]], [[0.2, 0.0]], [[0.9, 1.1]]])
  codebook = jnp.asarray([[0.1, 0.1], [1.0, 1.0], [5.0, 5.0]])
  state = vq.ema_update(vq.ema_init(codebook), z, vq.nearest_codes(z, codebook), 0.99, 1e-9)
  np.testing.assert_allclose(state['codebook'][:2], [[0.1, 0.0], [0.95, 1.05]], rtol=1e-5)
  np.testing.assert_allclose(state['codebook'][2], [0.0, 0.0], atol=1e-6)   # never used
  np.testing.assert_allclose(vq.ema_cluster_sizes(state, 0.99), [2, 2, 0], rtol=1e-5,
                             atol=1e-6)


def test_restart_replaces_exactly_the_dead_codes():
  decay, threshold = 0.9, 1.0
  k, d = 5, 3
  rng = np.random.default_rng(7)
  codebook = rng.normal(size=(k, d)).astype(np.float32)
  sizes = np.array([5.0, 0.5, 2.0, 0.0, 0.99], np.float32)          # debiased sizes
  bias = 1 - decay ** 2
  state = {'codebook': jnp.asarray(codebook), 'cluster_size': jnp.asarray(sizes * bias),
           'embed_sum': jnp.asarray(codebook * sizes[:, None] * bias),
           'updates': jnp.asarray(2, jnp.int32)}
  z = rng.normal(size=(2, 4, d)).astype(np.float32)
  new, restarted = jax.jit(vq.restart_dead_codes, static_argnums=(3, 4))(
      state, jnp.asarray(z), KEY, decay, threshold)
  dead = sizes < threshold
  assert float(restarted) == dead.sum() == 3
  np.testing.assert_array_equal(new['codebook'][~dead], codebook[~dead])
  np.testing.assert_array_equal(new['cluster_size'][~dead], state['cluster_size'][~dead])
  rows = z.reshape(-1, d)
  for i in np.flatnonzero(dead):                   # each dead code is one of the batch vectors
    assert np.any(np.all(np.isclose(rows, new['codebook'][i]), axis=1)), i
    assert not np.allclose(new['codebook'][i], codebook[i])
  # Restarted codes are just alive: debiased size = threshold, EMA mean = the new code.
  np.testing.assert_allclose(vq.ema_cluster_sizes(new, decay)[dead], threshold, rtol=1e-5)
  np.testing.assert_allclose(new['embed_sum'][dead] / new['cluster_size'][dead][:, None],
                             new['codebook'][dead], rtol=1e-5)
  # Deterministic given the key; another key picks other vectors.
  again, _ = vq.restart_dead_codes(state, jnp.asarray(z), KEY, decay, threshold)
  np.testing.assert_array_equal(again['codebook'], new['codebook'])
  other, _ = vq.restart_dead_codes(state, jnp.asarray(z), jax.random.key(1, impl='rbg'),
                                   decay, threshold)
  assert not np.array_equal(other['codebook'], new['codebook'])
