"""Translation bad input: one-line errors naming the value, raised by experiment.build before
any compile, with nothing written to the workdir; the launcher's own flags."""
import os
import re

import numpy as np
import pytest
from PIL import Image

from experiments.configs.translation import cyclegan_digits_invert, pix2pix_digits_edges
from experiments.families import FAMILIES
from gdm.train import experiment
from tests.helpers import run_launcher

P2P, CYCLE = pix2pix_digits_edges, cyclegan_digits_invert


def build_fails(config, tmp_path, message):
  workdir = str(tmp_path / 'w')
  with pytest.raises(ValueError, match=re.escape(message)) as e:
    experiment.build(config, workdir, FAMILIES['translation'])
  assert '\n' not in str(e.value)
  assert not os.path.exists(workdir) or not os.listdir(workdir)


@pytest.mark.parametrize('module, model, data, message', [
    (P2P, dict(kind='unit'), {}, "unknown translation model 'unit' in model.kind"),
    (P2P, dict(pix2pix=dict(l1_wieght=1.0)), {}, "unknown config key "
     "'model.pix2pix.l1_wieght'; did you mean model.pix2pix.l1_weight?"),
    (P2P, dict(patch=dict(receptive_field=50)), {}, "unknown PatchGAN receptive field "
     "(0 = the full image) 50 in model.patch.receptive_field"),
    (P2P, dict(pix2pix=dict(loss='wgan_gp')), {}, "unknown GAN loss 'wgan_gp' in "
     "model.pix2pix.loss"),
    (CYCLE, dict(cyclegan=dict(norm='group')), {}, "unknown norm 'group' in "
     "model.cyclegan.norm"),
    (P2P, dict(pix2pix=dict(dropout=1.0)), {}, 'model.pix2pix.dropout=1.0 must be in [0, 1)'),
    (P2P, {}, dict(name='digits'), "the translation family needs image-to-image data"),
    (P2P, {}, dict(name='digits_invert'), "model.kind='pix2pix' needs paired data; "
     "'digits_invert' is two unpaired domains (use model.kind='cyclegan')"),
    (P2P, {}, dict(binarize='static'), "set data.binarize='none'"),
    (P2P, dict(patch=dict(receptive_field=70)), {}, 'model.patch.receptive_field=70 needs '
     'images of at least 24x24; these are 16x16'),
    (P2P, dict(pix2pix=dict(channels=(4, 4, 4, 4, 4))), {}, 'image size 16 is not divisible '
     'by 2**5'),
    (P2P, dict(jitter_size=12), {}, 'model.jitter_size=12 must be 0 (off) or >= the image '
     'size 16'),
    (CYCLE, {}, dict(name='digits_colorize'), 'model.cyclegan.identity_weight=0.5 needs '
     'domains with the same channels (A has 1, B 3): set it to 0'),
    (CYCLE, dict(cyclegan=dict(pool_size=8)), {}, 'model.cyclegan.pool_size=8 must be 0 (off) '
     'or >= train.batch_size=16'),
    (CYCLE, dict(cyclegan=dict(downsample=5)), {}, 'model.cyclegan.downsample=5 needs an image '
     'size divisible by 32'),
])
def test_bad_values(tmp_path, module, model, data, message):
  config = module.get_config('smoke')
  config.model.update(model)
  config.data.update(data)
  build_fails(config, tmp_path, message)


def _folder(root, a_names, b_names, a_size, b_size):
  for side, names, size in (('A', a_names, a_size), ('B', b_names, b_size)):
    os.makedirs(os.path.join(root, side), exist_ok=True)
    for n in names:
      Image.fromarray(np.zeros((size, size), np.uint8)).save(os.path.join(root, side, n))
  return str(root)


@pytest.mark.parametrize('a, b, sizes, name, message', [
    (['1.png', '2.png'], ['1.png', '3.png'], (16, 16), 'paired_folder',
     '2 file names have no partner'),
    (['1.png'], ['1.png'], (16, 32), 'paired_folder', 'source images are 16x16 but target '
     'images 32x32'),
    (['1.png'], [], (16, 16), 'unpaired_folder', 'unpaired_folder: domain B: no images in '
     'folder'),
])
def test_folders_that_cannot_be_paired(tmp_path, a, b, sizes, name, message):
  """Non-matching file names, mismatched pair sizes, a domain with no images."""
  config = (P2P if name == 'paired_folder' else CYCLE).get_config('smoke')
  config.data.update(name=name, data_dir=_folder(tmp_path / 'data', a, b, *sizes),
                     image_size=0)
  build_fails(config, tmp_path, message)


def test_launcher_flags(tmp_path):
  workdir = str(tmp_path / 'w')
  r = run_launcher('translation', workdir, '--input_dir=/tmp', '--config.train.num_steps=2')
  assert r.returncode == 2 and r.stderr.strip().splitlines()[-1] == (
      'error: flags mode=train, input_dir=/tmp, split=: --input_dir and --split apply to '
      '--mode=translate only')
  r = run_launcher('translation', workdir, '--mode=translate', f'--config={P2P.__file__}:smoke')
  assert r.returncode == 2 and '--mode=translate needs a checkpoint' in r.stderr
  assert not os.path.exists(workdir) or not os.listdir(workdir)
