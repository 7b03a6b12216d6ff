"""EBM bad input: a one-line error naming the value, before any compile, nothing written."""
import os

import jax
import pytest

from experiments.configs.ebm import toy, toy_shortrun
from experiments.families import FAMILIES
from gdm.train import experiment

ONE = jax.devices()[:1]


@pytest.mark.parametrize('model, message', [
    (dict(step_size=0.0), 'model.step_size=0.0 must be > 0'),
    (dict(step_size=-0.5), 'model.step_size=-0.5 must be > 0'),
    (dict(noise_scale=0.0), 'model.noise_scale=0.0 must be > 0'),
    (dict(noise_scale=-0.1), 'model.noise_scale=-0.1 must be > 0'),
    (dict(reinit_share=1.5), r'model.reinit_share=1.5 must be in \[0, 1\]'),
    (dict(reinit_share=-0.1), r'model.reinit_share=-0.1 must be in \[0, 1\]'),
    (dict(sgld_steps=0), 'model.sgld_steps=0 must be >= 1'),
    (dict(sgld_unroll=0), 'model.sgld_unroll=0 must be >= 1'),
    (dict(grad_clip=-1.0), 'model.grad_clip=-1.0 must be >= 0'),
    (dict(alpha=-1.0), 'model.alpha=-1.0 must be >= 0'),
    (dict(buffer_size=8), 'model.buffer_size=8 must be 0 or >= the batch size 16'),
    (dict(net='unet'), "unknown energy network 'unet' in model.net; choose one of: mlp, resnet"),
    (dict(net='resnet'), "model.net='resnet' needs an image dataset; 'eight_gaussians'"),
    (dict(sample_init='data'), "unknown sample init 'data'"),
    (dict(act='swish'), "unknown activation 'swish'"),
    (dict(restore_noise=-1.0), 'model.restore_noise=-1.0 must be >= 0'),
    (dict(restore_steps=0), 'model.restore_steps=0 must be >= 1'),
    (dict(corrupt_std=0.0), 'model.corrupt_std=0.0 must be > 0'),
    (dict(noise_range=0.0), 'model.noise_range=0.0 must be > 0'),
])
def test_bad_model_values(tmp_path, model, message):
  config = toy.get_config('smoke')
  config.model.update(model)
  workdir = str(tmp_path / 'w')
  with pytest.raises(ValueError, match=message) as e:
    experiment.build(config, workdir, FAMILIES['ebm'], ONE)
  assert '\n' not in str(e.value)
  assert not os.path.exists(workdir) or not os.listdir(workdir)


def test_shortrun_and_label_errors(tmp_path):
  config = toy_shortrun.get_config('smoke')
  config.model.sample_init = 'buffer'
  with pytest.raises(ValueError, match=r"sample_init='buffer' needs a replay buffer"):
    experiment.build(config, str(tmp_path), FAMILIES['ebm'], ONE)
  config = toy_shortrun.get_config('smoke')
  config.model.conditional = True
  with pytest.raises(ValueError, match="conditional=True needs a labelled dataset; 'moons'"):
    experiment.build(config, str(tmp_path), FAMILIES['ebm'], ONE)
