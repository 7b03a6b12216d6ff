"""Diffusion bad input: one-line errors naming the value, raised by make() before any
compile (and, through experiment.build, before anything is written)."""
import os

import jax
import numpy as np
import pytest

from experiments.configs.diffusion import cfg_mnist, common, ddpm_toy, edm_toy, vpsde_cifar10
from experiments.families import FAMILIES
from gdm.data.source import DatasetInfo
from gdm.models import diffusion
from gdm.train import experiment

TOY = DatasetInfo('eight_gaussians', (2,), 'vector', num_classes=8)
MOONS = DatasetInfo('moons', (2,), 'vector')
MNIST = DatasetInfo('mnist', (28, 28, 1), 'image', num_classes=10)


@pytest.mark.parametrize('model, info, message', [
    (dict(sampler='ddim', sample_steps=2000), TOY,
     r'ddim sampler: 2000 steps is not in \[1, 1000\]'),
    (dict(sample_steps=500), TOY, 'the ancestral sampler runs all model.ddpm.num_timesteps=1000'),
    (dict(ddpm=dict(schedule='quadratic')), TOY, "unknown beta schedule 'quadratic' in "
                                                 'model.ddpm.schedule; choose one of: linear, '
                                                 'cosine'),
    (dict(parameterization='score'), TOY, "unknown parameterization 'score'"),
    (dict(process='flow_matching'), TOY, "unknown diffusion process 'flow_matching'"),
    (dict(sampler='langevin'), TOY, "unknown sampler for process 'ddpm' 'langevin'"),
    (dict(guidance_scale=2.0), TOY, 'model.guidance_scale=2.0 needs a class-conditional model'),
    (dict(guidance_scale=2.0, class_conditional=True), MOONS,
     "model.class_conditional=True needs a labelled dataset; 'moons'"),
    (dict(ddpm=dict(variance='learned_range')), TOY,
     "model.ddpm.variance='learned_range' is trained only by"),
    (dict(ddpm=dict(loss='elbo')), TOY, "unknown DDPM loss 'elbo'"),
    (dict(ddpm=dict(decoder='clamped')), TOY, "unknown discretized decoder convention "
                                              "'clamped' in model.ddpm.decoder; choose one of: "
                                              'exact, paper'),
    (dict(ddpm=dict(decoder='paper')), TOY, "model.ddpm.decoder='paper' is a convention of the "
                                            'discretized decoder of 8-bit images'),
    (dict(inpaint_mask='center'), TOY, "model.inpaint_mask='center' is for images"),
    (dict(inpaint_mask='diagonal'), TOY, "unknown inpainting mask 'diagonal'"),
    (dict(net='unet'), TOY, "model.net='unet' needs square images"),
    (dict(low_res_size=4), TOY, r'model.low_res_size=4 \(super-resolution\) must divide'),
    (dict(process='ve', sampler='ode', sde=dict(sigma_min=5.0, sigma_max=1.0)), TOY,
     r'model.sde.sigma_min=5.0 must be in \(0, sigma_max=1.0\)'),
])
def test_bad_model_values(model, info, message):
  config = ddpm_toy.get_config()
  config.model.update(model)
  with pytest.raises(ValueError, match=message) as e:
    diffusion.FAMILY.model(config, info)
  assert '\n' not in str(e.value)


def test_image_configs():
  config = cfg_mnist.get_config()
  config.model.unet.channel_mult = (1, 2, 2, 2)
  with pytest.raises(ValueError, match=r'image size 28 is not divisible by 2\*\*3'):
    diffusion.FAMILY.model(config, MNIST)
  config = vpsde_cifar10.get_config()
  config.model.sde.trace = 'exact'
  with pytest.raises(ValueError, match="model.sde.trace='exact' takes one jvp per dimension"):
    diffusion.FAMILY.model(config, DatasetInfo('cifar10', (32, 32, 3), 'image', 10))


def test_mask_of_the_wrong_shape(tmp_path):
  config = cfg_mnist.get_config('smoke')
  config.data.image_size = 0
  path = str(tmp_path / 'mask.npy')
  np.save(path, np.ones((27, 28)))
  config.model.inpaint_mask = path
  with pytest.raises(ValueError, match=r"mask.npy' has shape \(27, 28\); the data needs "
                                       r'\(28, 28, 1\) or \(28, 28\)'):
    diffusion.FAMILY.model(config, MNIST)
  np.save(path, np.full((28, 28), 0.5))
  with pytest.raises(ValueError, match='must hold only 0'):
    diffusion.FAMILY.model(config, MNIST)


def test_errors_come_before_anything_is_written(tmp_path):
  config = ddpm_toy.get_config('smoke')
  config.model.sampler, config.model.sample_steps = 'ddim', 99
  workdir = str(tmp_path / 'w')
  with pytest.raises(ValueError, match=r'ddim sampler: 99 steps is not in \[1, 4\]'):
    experiment.build(config, workdir, FAMILIES['diffusion'], jax.devices()[:1])
  assert not os.path.exists(workdir) or not os.listdir(workdir)


@pytest.mark.parametrize('model, message', [
    (dict(ddpm=dict(num_timestep=10)),
     "unknown config key 'model.ddpm.num_timestep'; did you mean model.ddpm.num_timesteps?"),
    (dict(unet=dict(chanels=32)), "unknown config key 'model.unet.chanels'; did you mean "
                                  'model.unet.channels?'),
    (dict(samplr='ddim'), "unknown config key 'model.samplr'; did you mean model.sampler?"),
    (dict(langevin_steps=5), "config key 'model.langevin_steps' is now "
                             "'model.langevin.steps'"),   # a pre-section key
    (dict(pc=dict(snr=-1.0)), 'model.pc.snr=-1.0 must be > 0'),
    (dict(ddim=dict(eta=2.0)), r'model.ddim.eta=2.0 must be in \[0, 1\]'),
])
def test_the_model_section_names_the_dotted_key(model, message):
  with pytest.raises(ValueError, match=message) as e:
    common.model_config(**model)
  assert '\n' not in str(e.value)
  config = ddpm_toy.get_config()            # and the same through a config's flags
  config.model.update(model)
  with pytest.raises(ValueError, match=message):
    diffusion.FAMILY.model(config, TOY)


@pytest.mark.parametrize('model, message', [
    (dict(edm=dict(sigma_min=80.0, sigma_max=1.0)),
     r'model.edm.sigma_min=80.0 must be in \(0, sigma_max=1.0\)'),
    (dict(edm=dict(sigma_min=80.0)), r'model.edm.sigma_min=80.0 must be in \(0, sigma_max=80.0\)'),
    (dict(edm=dict(rho=0.0)), 'model.edm.rho=0.0 must be > 0'),
    (dict(edm=dict(sigma_data=-0.5)), 'model.edm.sigma_data=-0.5 must be > 0'),
    (dict(edm=dict(p_std=0.0)), 'model.edm.p_std=0.0 must be > 0'),
    (dict(sample_steps=0), 'model.sample_steps=0 must be >= 1'),
    (dict(heun=dict(s_churn=-1.0)), r'model.heun.s_churn=-1.0 must be >= 0'),
    (dict(heun=dict(s_min=2.0, s_max=1.0)), r'model.heun.s_min=2.0 must be in \[0, s_max=1.0\]'),
    (dict(heun=dict(s_noise=-1.0)), 'model.heun.s_noise=-1.0 must be >= 0'),
    (dict(sampler='ode'), "unknown sampler for process 'edm' 'ode' in model.sampler; choose one "
                          'of: heun'),
    (dict(parameterization='v'), "model.parameterization='v' has no meaning for "
                                 "model.process='edm'"),
])
def test_bad_edm_values(model, message, tmp_path):
  config = edm_toy.get_config('smoke')
  config.model.update(model)
  workdir = str(tmp_path / 'w')
  with pytest.raises(ValueError, match=message) as e:
    experiment.build(config, workdir, FAMILIES['diffusion'], jax.devices()[:1])
  assert '\n' not in str(e.value)
  assert not os.path.exists(workdir) or not os.listdir(workdir)
