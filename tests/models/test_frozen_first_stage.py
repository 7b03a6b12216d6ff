"""Latent diffusion on a trained first-stage run: the trainer leaves the frozen first stage
bit-identical (params and codebook state, in memory and in the prior's checkpoint) and writes
nothing into its workdir; a missing, foreign, mismatched or still-training workdir is a
one-line error naming model.autoencoder_workdir, raised while the model is made (before
anything compiles)."""
import jax
import numpy as np
import pytest

from experiments.configs.diffusion import ldm_digits
from experiments.configs.first_stage import ldm_digits as stage_digits
from experiments.families import FAMILIES
from gdm.data.source import DatasetInfo
from gdm.train import loop
from gdm.train.restore import restore_run
from gdm.train.workdir import WorkdirLock
from tests.helpers import flat, one_line_error, read_checkpoint, snapshot

ONE = jax.devices()[:1]
STEPS = 2
DIGITS16 = DatasetInfo('digits', (16, 16, 1), 'image', num_classes=10)


def short(config):
  config.train.update(num_steps=STEPS, checkpoint_every=STEPS, eval_every=STEPS,
                      log_every=STEPS, sample_every=0)
  config.eval.num_examples = 16
  return config


@pytest.fixture(scope='module')
def stage(tmp_path_factory):
  """A finished first-stage run (ldm_digits:smoke, VQ regulariser: its codebook is model
  state that training the prior must not move either)."""
  workdir = str(tmp_path_factory.mktemp('stage'))
  config = short(stage_digits.get_config('smoke'))
  config.model.regularizer = 'vq'
  loop.train_and_evaluate(config, workdir, FAMILIES['first_stage'], ONE)
  return workdir


def ldm_on(workdir: str, **data):
  config = short(ldm_digits.get_config('smoke'))
  config.model.untrained_autoencoder = None
  config.model.autoencoder_workdir = workdir
  config.data.update({'image_size': 16, **data})      # the first stage's smoke size
  return config


def test_training_the_prior_leaves_the_first_stage_bit_identical(stage, tmp_path):
  before = snapshot(stage)
  frozen = restore_run(stage, FAMILIES['first_stage'])
  state = loop.train_and_evaluate(ldm_on(stage), str(tmp_path / 'ldm'), FAMILIES['diffusion'],
                                  ONE)
  assert int(state.step) == STEPS
  want = flat({'params': {'model': frozen.params['model']},
               'model_state': frozen.model_state})
  kept = state.model_state['latent']['autoencoder']
  saved = read_checkpoint(str(tmp_path / 'ldm'), STEPS)['model_state']['latent']['autoencoder']
  for tree in (jax.device_get(kept), saved):
    got = flat(tree)
    assert got.keys() == want.keys() and len(want) > 4
    for k in want:
      np.testing.assert_array_equal(got[k], want[k], err_msg=k)
  assert snapshot(stage) == before                         # read-only: nothing written


def test_bad_first_stage_workdirs_are_one_line_errors_naming_it(stage, tmp_path):
  make = FAMILIES['diffusion'].model
  err = one_line_error(lambda: make(ldm_on(str(tmp_path / 'nowhere')), DIGITS16))
  assert err.startswith('model.autoencoder_workdir=') and 'does not exist' in err
  ldm = str(tmp_path / 'ldm')
  loop.train_and_evaluate(ldm_on(stage), ldm, FAMILIES['diffusion'], ONE)
  err = one_line_error(lambda: make(ldm_on(ldm), DIGITS16))         # a diffusion run
  assert err == (f"model.autoencoder_workdir={ldm!r} is a 'diffusion' run, not a "
                 "'first_stage' one")
  err = one_line_error(lambda: make(ldm_on(stage, image_size=8),
                                    DatasetInfo('digits', (8, 8, 1), 'image', 10)))
  assert err.startswith(f'model.autoencoder_workdir={stage!r} was trained on data of shape '
                        '(16, 16, 1)') and 'data.image_size' in err
  lock = WorkdirLock(stage)
  lock.acquire()
  try:
    err = one_line_error(lambda: make(ldm_on(stage), DIGITS16))
  finally:
    lock.release()
  assert err.startswith(f'model.autoencoder_workdir={stage!r} is still training (pid ')
