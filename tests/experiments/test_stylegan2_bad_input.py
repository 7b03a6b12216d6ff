"""StyleGAN2 bad input: one-line errors naming the dotted key, raised by experiment.build
before anything compiles, with nothing written to the workdir."""
import os
import re

import pytest

from experiments.configs.gan import dcgan_mnist, stylegan2_digits
from experiments.families import FAMILIES
from gdm.data.source import DatasetInfo
from gdm.models import gan
from gdm.train import experiment


@pytest.mark.parametrize('section, overrides, message', [
    ('sample', dict(truncation_psi=1.5), 'sample.truncation_psi=1.5 must be in [0, 1]'),
    ('sample', dict(truncation_psi=-0.5), 'sample.truncation_psi=-0.5 must be in [0, 1]'),
    ('data', dict(image_size=12), "data.image_size=12: model.kind='stylegan2' needs square "
                                  'images whose side is a power of two >= 4, got 12x12'),
    ('data', dict(image_size=2), 'data.image_size=2: model.kind=\'stylegan2\' needs square'),
    ('model', dict(conditioning='projection'), "model.kind='stylegan2' is unconditional"),
    ('model', dict(spectral_norm=True), 'model.spectral_norm must be False'),
    ('model', dict(conv=dict(attention_res=4)), 'model.conv.attention_res=4: '
                                                "model.kind='stylegan2' has no self-attention"),
    ('model', dict(stylegan2=dict(style_mixing_prob=1.2)),
     'model.stylegan2.style_mixing_prob=1.2 must be in [0, 1]'),
    ('model', dict(stylegan2=dict(d_reg_every=0)), 'model.stylegan2.d_reg_every=0 must be >= 1'),
    ('model', dict(stylegan2=dict(w_avg_decay=1.0)),
     'model.stylegan2.w_avg_decay=1.0 must be in [0, 1)'),
    ('model', dict(stylegan2=dict(pl_weight=-2.0)), 'model.stylegan2.pl_weight=-2.0 must be >= 0'),
    ('model', dict(stylegan2=dict(pl_batch_shrink=32)),
     'model.stylegan2.pl_batch_shrink=32 leaves no example of train.batch_size=16'),
    ('model', dict(stylegan2=dict(mbstd_features=3)),
     'model.stylegan2.mbstd_features=3 must divide the 8 channels at 4x4'),
    ('model', dict(stylegan2=dict(w_dimm=8)), "unknown config key 'model.stylegan2.w_dimm'; did "
                                              'you mean model.stylegan2.w_dim?'),
])
def test_bad_stylegan2_values(tmp_path, section, overrides, message):
  config = stylegan2_digits.get_config('smoke')
  config[section].update(overrides)
  workdir = str(tmp_path / 'w')
  with pytest.raises(ValueError, match=re.escape(message)) as e:
    experiment.build(config, workdir, FAMILIES['gan'])
  assert '\n' not in str(e.value)
  assert not os.path.exists(workdir) or not os.listdir(workdir)


def test_truncation_needs_stylegan2():
  config = dcgan_mnist.get_config('smoke')
  config.sample.truncation_psi = 0.7
  info = DatasetInfo('mnist', (28, 28, 1), 'image', num_classes=10)
  with pytest.raises(ValueError, match=re.escape(
      "sample.truncation_psi=0.7 needs model.kind='stylegan2' (W-space truncation), not "
      "'dcgan'")):
    gan.FAMILY.model(config, info)


def test_vectors_are_refused():
  config = stylegan2_digits.get_config('smoke')
  info = DatasetInfo('moons', (2,), 'vector')
  with pytest.raises(ValueError, match=re.escape(
      "model.kind='stylegan2' needs an image dataset; 'moons' holds vectors")):
    gan.FAMILY.model(config, info)
