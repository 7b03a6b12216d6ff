"""The GAN's launcher modes end to end: the default config's smoke variant (with labels and
InfoGAN codes) writes every mode's file the way `--mode=NAME` does."""
import os

import jax
import numpy as np

from experiments.configs.gan import mlp_eight_gaussians
from experiments.families import FAMILIES
from gdm.train import experiment
from gdm.train.evaluation import Evaluator


def test_every_mode_writes_its_file(tmp_path):
  config = mlp_eight_gaussians.get_config('smoke')
  config.model.update(conditioning='concat', info_categorical=3, info_continuous=1)
  workdir = str(tmp_path)
  exp = experiment.build(config, workdir, FAMILIES['gan'], jax.devices()[:1])
  state, _ = exp.restore_or_init()     # (modes run on any params; the configs test trains)
  evaluator = Evaluator(exp)
  assert set(exp.model.modes) == {'interpolate', 'arithmetic', 'conditional', 'codes'}
  for name in exp.model.modes:
    with np.load(evaluator.write_mode(state, name)) as f:
      out = dict(f)
    assert all(np.all(np.isfinite(v)) for v in out.values()), name
    if name == 'arithmetic':     # columns a, b, c, a - b + c
      z = out['z'].reshape(4, 4, -1)
      np.testing.assert_allclose(z[:, 3], z[:, 0] - z[:, 1] + z[:, 2], atol=1e-5)
  exp.checkpointer.close()
  assert out['codes'].shape == (3 * 8, 2)
  assert os.path.exists(os.path.join(workdir, 'samples', 'conditional_0.npz'))
