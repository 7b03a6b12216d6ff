"""EBM bad input: a one-line error naming the value, before any compile, nothing written."""
import os

import jax
import pytest

from experiments.configs.ebm import common, toy, toy_shortrun
from experiments.families import FAMILIES
from gdm.train import experiment

ONE = jax.devices()[:1]


@pytest.mark.parametrize('model, message', [
    (dict(sgld=dict(step_size=0.0)), 'model.sgld.step_size=0.0 must be > 0'),
    (dict(sgld=dict(step_size=-0.5)), 'model.sgld.step_size=-0.5 must be > 0'),
    (dict(sgld=dict(noise_scale=0.0)), 'model.sgld.noise_scale=0.0 must be > 0'),
    (dict(sgld=dict(noise_scale=-0.1)), 'model.sgld.noise_scale=-0.1 must be > 0'),
    (dict(buffer=dict(reinit_share=1.5)), r'model.buffer.reinit_share=1.5 must be in \[0, 1\]'),
    (dict(buffer=dict(reinit_share=-0.1)),
     r'model.buffer.reinit_share=-0.1 must be in \[0, 1\]'),
    (dict(sgld=dict(steps=0)), 'model.sgld.steps=0 must be >= 1'),
    (dict(sgld=dict(unroll=0)), 'model.sgld.unroll=0 must be >= 1'),
    (dict(sgld=dict(grad_clip=-1.0)), 'model.sgld.grad_clip=-1.0 must be >= 0'),
    (dict(alpha=-1.0), 'model.alpha=-1.0 must be >= 0'),
    (dict(buffer=dict(size=8)), 'model.buffer.size=8 must be 0 or >= the batch size 16'),
    (dict(net='unet'), "unknown energy network 'unet' in model.net; choose one of: mlp, resnet"),
    (dict(net='resnet'), "model.net='resnet' needs an image dataset; 'eight_gaussians'"),
    (dict(sampling=dict(init='data')), "unknown sample init 'data'"),
    (dict(act='swish'), "unknown activation 'swish'"),
    (dict(restore=dict(noise=-1.0)), 'model.restore.noise=-1.0 must be >= 0'),
    (dict(restore=dict(steps=0)), 'model.restore.steps=0 must be >= 1'),
    (dict(restore=dict(corrupt_std=0.0)), 'model.restore.corrupt_std=0.0 must be > 0'),
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
  config.model.sampling.init = 'buffer'
  with pytest.raises(ValueError, match=r"sampling.init='buffer' needs a replay buffer"):
    experiment.build(config, str(tmp_path), FAMILIES['ebm'], ONE)
  config = toy_shortrun.get_config('smoke')
  config.model.conditional = True
  with pytest.raises(ValueError, match="conditional=True needs a labelled dataset; 'moons'"):
    experiment.build(config, str(tmp_path), FAMILIES['ebm'], ONE)


@pytest.mark.parametrize('path, message', [
    (('sgld', 'step_szie'), "unknown config key 'model.sgld.step_szie'; did you mean "
                            "model.sgld.step_size?"),
    (('buffer', 'sise'), "unknown config key 'model.buffer.sise'; did you mean model.buffer.size?"),
    (('resnet', 'channel'), "'model.resnet.channel'; did you mean model.resnet.channels?"),
    (('buffer_size',), "config key 'model.buffer_size' is now 'model.buffer.size'"),
])
def test_misspelled_keys_name_the_dotted_key_and_the_nearest(tmp_path, path, message):
  config = toy.get_config('smoke')
  section = config.model
  for key in path[:-1]:
    section = section[key]
  section[path[-1]] = 1
  with pytest.raises(ValueError, match=message) as e:
    experiment.build(config, str(tmp_path / 'w'), FAMILIES['ebm'], ONE)
  assert '\n' not in str(e.value)
  with pytest.raises(ValueError, match="'model.sgld.stpes'; did you mean model.sgld.steps?"):
    common.model_config(sgld=dict(stpes=3))          # caught in the config file itself
  with pytest.raises(ValueError, match="config key 'model.sgld' must be a section, got 5"):
    common.model_config(sgld=5)
