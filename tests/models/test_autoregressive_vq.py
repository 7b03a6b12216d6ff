"""The PixelCNN prior over VQ-VAE codes end to end on 8x8 digits: train a tiny VQ-VAE, train
the prior on its frozen codes (the VQ-VAE loaded from its workdir), sample new images, and
complete the bottom code rows (the launcher's inpaint mode)."""
import os

import jax
import numpy as np

from experiments.configs.autoregressive import vqvae_prior_digits
from experiments.configs.vqvae import digits as vqvae_digits
from experiments.families import FAMILIES
from gdm.train import experiment, loop
from gdm.train.evaluation import Evaluator
from gdm.train.writer import read_metrics
from tests.helpers import flat, read_checkpoint

ONE = jax.devices()[:1]


def test_prior_over_codes_trains_samples_and_inpaints(tmp_path):
  vq_dir, prior_dir = str(tmp_path / 'vqvae'), str(tmp_path / 'prior')
  vq = vqvae_digits.get_config('smoke')
  vq.data.image_size = 8                     # 2x2 code maps of K=16 codes
  vq.train.num_steps = 4
  loop.train_and_evaluate(vq, vq_dir, FAMILIES['vqvae'], ONE)

  config = vqvae_prior_digits.get_config('smoke')
  config.model.vqvae_workdir, config.model.untrained_vqvae = vq_dir, None
  config.train.num_steps = 4
  state = loop.train_and_evaluate(config, prior_dir, FAMILIES['autoregressive'], ONE)
  # The VQ-VAE stays frozen: the prior carries the checkpoint's EMA params unchanged.
  saved = flat(read_checkpoint(vq_dir, 4)['ema_params'])
  carried = flat(jax.device_get(state.model_state['vqvae']['params']))
  assert saved.keys() == carried.keys()
  for k in saved:
    np.testing.assert_array_equal(saved[k], carried[k])

  metrics = [m for m in read_metrics(prior_dir) if 'eval/bits_per_code' in m]
  assert 0 < metrics[-1]['eval/bits_per_code'] < 10
  assert os.path.exists(os.path.join(prior_dir, 'samples', 'samples_4.png'))  # decoded draws
  # The launcher's --mode=inpaint, in process (a subprocess would import and compile again).
  exp = experiment.build(config, prior_dir, FAMILIES['autoregressive'], ONE)
  path = Evaluator(exp).write_mode(state, 'inpaint')
  grid = np.load(path)['inpainting']
  assert grid.shape[0] == 3 and grid.shape[2:] == (8, 8, 1) and np.all(np.isfinite(grid))

  # experiments.vqvae --mode=sample with model.prior_workdir: the prior's own draws.
  vq.model.prior_workdir = prior_dir
  vq_exp = experiment.build(vq, vq_dir, FAMILIES['vqvae'], ONE)
  vq_state, _ = vq_exp.restore_or_init()
  np.testing.assert_allclose(Evaluator(vq_exp).sample(vq_state, 4),
                             Evaluator(exp).sample(state, 4), rtol=1e-6, atol=1e-6)
