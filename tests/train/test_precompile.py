"""The train step compiled on a thread while the state is built: same results as the jitted
step, used for calls of its shape only."""
import chex
import jax

from experiments.families import FAMILIES
from gdm.train import experiment, loop, precompile
from tests.helpers import tiny_config

ONE = jax.devices()[:1]


def test_ahead_of_time_step_is_the_jitted_step_and_falls_back_on_other_shapes(tmp_path):
  exp = experiment.build(tiny_config(num_steps=4), str(tmp_path), FAMILIES['autoencoder'], ONE)
  jitted = loop.compile_train_step(exp)
  shapes = precompile.abstract_batch(exp.pipeline.batch(0), exp.config.train.batch_size, 1,
                                     exp.micro_batches)
  ahead = precompile.AheadOfTime(jitted, (exp.abstract_state, shapes, exp.base_key))
  fresh = lambda: exp.restore_or_init()[0]         # the step donates its state
  one, two = exp.train_batch(0, 1), exp.train_batch(0, 2)
  assert ahead.wait()._compiled is not None and ahead._fits((fresh(), one, exp.base_key))
  assert not ahead._fits((fresh(), two, exp.base_key))
  chex.assert_trees_all_equal(ahead(fresh(), one, exp.base_key),
                              jitted(fresh(), one, exp.base_key))
  chex.assert_trees_all_equal(ahead(fresh(), two, exp.base_key),
                              jitted(fresh(), two, exp.base_key))


def test_a_run_with_compile_ahead_trains_exactly_as_without(tmp_path):
  runs = {}
  for ahead in (False, True):
    config = tiny_config(num_steps=6, steps_per_call=2, log_every=2, checkpoint_every=2,
                         eval_every=0, sample_every=0, compile_ahead=ahead)
    runs[ahead] = loop.train_and_evaluate(config, str(tmp_path / str(ahead)),
                                          FAMILIES['autoencoder'], ONE)
  chex.assert_trees_all_equal(runs[False].params, runs[True].params)
  chex.assert_trees_all_equal(runs[False].ema_params, runs[True].ema_params)
