"""The Image Transformer's class conditioning and completion against exact answers: class-
conditional draws follow p(x | y) computed by enumerating every tiny image, and the
launcher's --mode=inpaint (in process) trains, completes and keeps the observed rows."""
import jax
import jax.numpy as jnp
import numpy as np

from experiments.configs.autoregressive import image_transformer_digits
from experiments.families import FAMILIES
from gdm.train import experiment, loop
from gdm.train.evaluation import Evaluator
from tests.models.ar_models import all_binary, tiny_model

KEY = jax.random.key(5, impl='rbg')
ONE = jax.devices()[:1]


def _tv(p, q):
  return 0.5 * np.abs(np.asarray(p) - np.asarray(q)).sum()


def test_class_conditional_draws_follow_the_exact_class_probabilities():
  m, params, state = tiny_model((2, 2, 1), net='image_transformer', conditional=True,
                                image_transformer=dict(attention='strided',
                                                       strided=dict(stride=2)))
  images = jnp.asarray(all_binary((2, 2, 1)))
  evaluate = jax.jit(m.evaluate)
  exact = [np.exp(-np.asarray(evaluate(params, state, {
      'x': images, 'y': jnp.full((16,), y, jnp.int32)}, KEY)['nll'])) for y in range(3)]
  assert min(_tv(exact[0], exact[1]), _tv(exact[1], exact[2])) > 0.1   # classes differ
  n = 9000                                          # sample() cycles the classes 0, 1, 2
  draws = np.asarray(jax.jit(m.sample, static_argnums=3)(params, state, KEY, n, {}))
  index = (draws.reshape(n, 4) @ [8, 4, 2, 1]).astype(int)
  for y in range(3):
    freq = np.bincount(index[y::3], minlength=16) / (n // 3)
    assert _tv(freq, exact[y]) < 0.05, (y, freq, exact[y])


def test_inpaint_mode_of_a_trained_class_conditional_transformer(tmp_path):
  config = image_transformer_digits.get_config('smoke')
  config.model.conditional = True
  config.model.image_transformer.attention = 'local_1d'
  config.train.num_steps = 3
  workdir = str(tmp_path / 'it')
  state = loop.train_and_evaluate(config, workdir, FAMILIES['autoregressive'], ONE)
  exp = experiment.build(config, workdir, FAMILIES['autoregressive'], ONE)
  shown, filled, original = np.load(Evaluator(exp).write_mode(state, 'inpaint'))['inpainting']
  rows = config.data.image_size // 2                # model.inpaint_rows=0: the top half
  np.testing.assert_array_equal(filled[:, :rows], original[:, :rows])
  np.testing.assert_array_equal(shown[:, rows:], 0.0)
  assert set(np.unique(filled)) <= {0.0, 1.0} and filled.shape == original.shape
