"""GAN bad input: one-line errors naming the value, raised by experiment.build before any
compile, with nothing written to the workdir."""
import os
import re

import pytest

from experiments.configs.gan import dcgan_mnist, mlp_eight_gaussians
from experiments.families import FAMILIES
from gdm.data.source import DatasetInfo
from gdm.models import gan
from gdm.train import experiment


@pytest.mark.parametrize('overrides, message', [
    (dict(loss='wgan_gp'), "unknown GAN loss 'wgan_gp' in model.loss; choose one of: minimax, "
                           "non_saturating, lsgan, wgan, hinge"),
    (dict(regularizer='gp'), "unknown discriminator regularizer 'gp' in model.regularizer; "
                             "choose one of: none, gradient_penalty, r1"),
    (dict(n_critic=0), 'model.n_critic=0 must be >= 1'),
    (dict(conditioning='labels'), "unknown conditioning 'labels' in model.conditioning"),
    (dict(kind='stylegan'), "unknown GAN kind 'stylegan'"),
    (dict(penalty_weight=-1.0), 'model.penalty_weight=-1.0 must be >= 0'),
    (dict(info_categorical=1), 'model.info_categorical=1 must be 0 or >= 2'),
    (dict(conv=dict(attention_res=8)), 'model.conv.attention_res=8 needs a conv model'),
    (dict(kind='dcgan'), "model.kind='dcgan' needs an image dataset"),
    (dict(d_optimizer=dict(name='rmsprop')), "unknown optimizer 'rmsprop' in "
                                             "model.d_optimizer.name"),
    # the section's schema: misspelled and moved keys name the dotted key
    (dict(mlp=dict(g_hiden=(8,))), "unknown config key 'model.mlp.g_hiden'; did you mean "
                                   "model.mlp.g_hidden?"),
    (dict(d_optimizer=dict(learning_rat=1e-3)), "unknown config key "
                                                "'model.d_optimizer.learning_rat'; did you "
                                                "mean model.d_optimizer.learning_rate?"),
    (dict(g_channels=(8,)), "config key 'model.g_channels' is now 'model.conv.g_channels'"),
    (dict(conv=dict(d_norm='group')), "unknown discriminator norm 'group' in "
                                      "model.conv.d_norm; choose one of: none, batch, layer"),
    (dict(mlp=dict(d_act='swish')), "unknown activation 'swish' in model.mlp.d_act"),
])
def test_bad_model_values(tmp_path, overrides, message):
  config = mlp_eight_gaussians.get_config('smoke')
  config.model.update(overrides)
  workdir = str(tmp_path / 'w')
  with pytest.raises(ValueError, match=re.escape(message)) as e:
    experiment.build(config, workdir, FAMILIES['gan'])
  assert '\n' not in str(e.value)
  assert not os.path.exists(workdir) or not os.listdir(workdir)


def test_conditional_model_on_unlabelled_data(tmp_path):
  config = mlp_eight_gaussians.get_config('smoke')
  config.data.name = 'moons'
  config.model.conditioning = 'concat'
  with pytest.raises(ValueError, match="model.conditioning='concat' needs a labelled dataset; "
                                       "'moons' has no labels"):
    experiment.build(config, str(tmp_path / 'w'), FAMILIES['gan'])


@pytest.mark.parametrize('overrides, data, message', [
    (dict(regularizer='gradient_penalty'), {}, "needs per-example critic gradients: use "
                                               "model.conv.d_norm='layer' or 'none'"),
    (dict(conv=dict(attention_res=5)), {}, 'model.conv.attention_res=5 is not a feature-map '
                                           'size of both networks; choose one of: 7, 14'),
    (dict(conv=dict(g_channels=(8, 8, 8))), {}, 'image size 28 is not divisible by 2**3'),
    (dict(kind='resnet', conv=dict(d_downsample=3)), {}, 'model.conv.d_downsample=3 must be in '
                                                         '[0, len(model.conv.d_channels)=2]'),
    ({}, dict(scale='none'), "needs data.scale='minus_one_one' or 'zero_one'"),
])
def test_bad_image_model_values(overrides, data, message):
  config = dcgan_mnist.get_config('smoke')
  config.model.update(overrides)
  config.data.update(data)
  info = DatasetInfo('mnist', (28, 28, 1), 'image', num_classes=10)
  with pytest.raises(ValueError, match=re.escape(message)) as e:
    gan.FAMILY.model(config, info)
  assert '\n' not in str(e.value)
