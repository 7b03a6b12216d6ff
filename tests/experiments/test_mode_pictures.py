"""Every mode of every family writes a PNG beside its .npz, as `--mode=NAME` does, and so
does `--mode=sample`: smoke configs, untrained params (what is drawn is checked elsewhere;
here that there is a picture, at a viewable size)."""
import glob
import os

import jax
import numpy as np
import pytest
import tensorflow_datasets as tfds
from PIL import Image

from experiments.families import FAMILIES
from gdm.train import experiment
from gdm.train.evaluation import Evaluator

# (config module, model overrides, the modes it has): every family's every mode, on images
# and on vectors where the family has both.
CASES = [
    ('autoencoder.conv_digits', {}, {'reconstruct'}),
    ('autoencoder.mlp_moons', {}, {'reconstruct'}),
    ('vae.mlp_digits', {'conditional': True},
     {'reconstruct', 'interpolate', 'impute', 'anomaly', 'conditional'}),
    ('vae.gaussian_toy', {}, {'reconstruct', 'interpolate', 'impute', 'anomaly'}),
    ('vqvae.digits', {}, {'reconstruct', 'codes'}),
    ('gan.cdcgan_mnist', {'info_categorical': 3},
     {'interpolate', 'arithmetic', 'conditional', 'codes'}),
    ('gan.mlp_eight_gaussians', {'conditioning': 'concat', 'info_categorical': 3},
     {'interpolate', 'arithmetic', 'conditional', 'codes'}),
    ('diffusion.ddpm_toy', {}, {'inpaint', 'denoise'}),
    ('diffusion.sr_cifar10', {}, {'inpaint', 'denoise', 'super_resolution'}),
    ('flow.glow_digits', {}, {'anomaly', 'interpolate', 'temperature'}),
    ('flow.realnvp_moons', {}, {'anomaly', 'interpolate', 'temperature'}),
    ('autoregressive.pixelcnn_digits', {}, {'inpaint'}),
    ('autoregressive.made_eight_gaussians', {}, {'inpaint'}),
    ('ebm.mnist', {}, {'denoise', 'inpaint', 'ood'}),
    ('ebm.toy', {'conditional': True}, {'denoise', 'inpaint', 'ood', 'conditional'}),
    ('classifier.digits', {}, {'features'}),
]


def _build(module, overrides, workdir):
  config_module = __import__(f'experiments.configs.{module}', fromlist=['get_config'])
  config = config_module.get_config('smoke')
  config.model.update(overrides)
  return experiment.build(config, workdir, FAMILIES[module.split('.')[0]], jax.devices()[:1])


@pytest.mark.parametrize('module, overrides, modes', CASES, ids=[c[0] for c in CASES])
def test_every_mode_writes_a_png(module, overrides, modes, tmp_path, fixed_tfds_mock):
  workdir = str(tmp_path)
  with tfds.testing.mock_data(num_examples=64):
    exp = _build(module, overrides, workdir)
    state, _ = exp.restore_or_init()
    evaluator = Evaluator(exp)
    assert set(exp.model.modes) == modes
    for name in sorted(modes) + ['sample']:
      path = (evaluator.write_samples(state) if name == 'sample' else
              evaluator.write_mode(state, name))
      assert os.path.exists(path)
      pngs = glob.glob(path[:-len('.npz')] + '*.png')
      assert pngs, f'--mode={name} wrote no picture beside {os.path.basename(path)}'
      for png in pngs:
        picture = np.asarray(Image.open(png))
        assert min(picture.shape[:2]) >= 256 and picture.max() > 0, (png, picture.shape)
  exp.checkpointer.close()
