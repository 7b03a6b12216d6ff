"""Progressive GAN and BigGAN bad input: one-line errors naming the key, raised by
experiment.build before anything compiles, with nothing written to the workdir."""
import os

import pytest

from experiments.configs.gan import biggan_digits, progan_digits
from experiments.families import FAMILIES
from gdm.train import experiment
from tests.helpers import one_line_error


@pytest.mark.parametrize('module, data, model, train, message', [
    (progan_digits, dict(image_size=12), {}, {},
     "model.kind='progan' grows from 4x4 by doubling: the image must be a square power of "
     "two >= 4, not 12x12 (set data.image_size)"),
    (progan_digits, {}, dict(progan=dict(channels=(8, 8))), {},
     'model.progan.channels has 2 entries; 16x16 images need 3, one per resolution (4, 8, 16)'),
    (progan_digits, {}, dict(progan=dict(stable_steps=2, fade_steps=2)), dict(num_steps=5),
     'model.progan schedule reaches 16x16 at step 8 (stable_steps=2, fade_steps=2, 3 '
     'resolutions) but train.num_steps=5'),
    (progan_digits, {}, dict(progan=dict(fade_steps=0)), {},
     'model.progan.fade_steps=0 must be >= 1'),
    (progan_digits, {}, dict(progan=dict(mbstd_group=3)), {},
     'model.progan.mbstd_group=3 must divide train.batch_size / train.grad_accum=16'),
    (progan_digits, {}, dict(conditioning='projection'), {},
     "model.kind='progan' is unconditional: set model.conditioning='none'"),
    (progan_digits, {}, dict(progan=dict(chanels=(8,))), {},
     "unknown config key 'model.progan.chanels'; did you mean model.progan.channels?"),
    (progan_digits, {}, dict(drift_weight=-1.0), {}, 'model.drift_weight=-1.0 must be >= 0'),
    (biggan_digits, {}, dict(latent_dim=10), {},
     'model.latent_dim=10 must split evenly into 3 chunks'),
    (biggan_digits, {}, dict(conditioning='acgan'), {},
     "model.kind='biggan' conditions through its shared embedding and the projection "
     "discriminator: set model.conditioning='projection' or 'none'"),
    (biggan_digits, {}, dict(biggan=dict(attention_res=16)), {},
     'model.biggan.attention_res=16 is not a feature-map size of both networks; choose one '
     'of: 8'),
    (biggan_digits, {}, dict(biggan=dict(d_downsample=3)), {},
     'model.biggan.d_downsample=3 must be in [0, len(model.biggan.d_channels)=2]'),
    (biggan_digits, dict(image_size=10), dict(biggan=dict(attention_res=0)), {},
     'image size 10 is not divisible by 2**2'),
    (biggan_digits, {}, dict(truncation=-0.5), {}, 'model.truncation=-0.5 must be >= 0'),
    (biggan_digits, {}, dict(ortho_weight=-1e-4), {}, 'model.ortho_weight=-0.0001 must be >= 0'),
    (biggan_digits, {}, dict(truncation=0.001), {},
     'model.truncation=0.001 must be 0 (off) or >= 0.01'),
])
def test_bad_values(tmp_path, module, data, model, train, message):
  config = module.get_config('smoke')
  for section, values in (('data', data), ('model', model), ('train', train)):
    config[section].update(values)
  workdir = str(tmp_path / 'w')
  assert message in one_line_error(lambda: experiment.build(config, workdir, FAMILIES['gan']))
  assert not os.path.exists(workdir) or not os.listdir(workdir)
