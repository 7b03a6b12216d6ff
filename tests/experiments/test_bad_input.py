"""Every bad input: a one-line error naming the value, before any compile, nothing lost."""
import os

import jax
import ml_collections
import pytest

from experiments.families import FAMILIES
from experiments.families import get_family
from gdm.train import experiment, loop
from tests.helpers import run_launcher, tiny_config, tiny_image_config

ONE = jax.devices()[:1]


def snapshot(workdir):
  """Every file under workdir with its size and modification time."""
  out = {}
  for root, _, files in os.walk(workdir):
    for f in files:
      p = os.path.join(root, f)
      out[p] = (os.path.getsize(p), os.path.getmtime(p))
  return out


@pytest.mark.parametrize('override, message', [
    (('data', 'name', 'imagenet_typo'), "unknown dataset 'imagenet_typo'; choose one of"),
    (('train.optimizer', 'name', 'adamz'), "unknown optimizer 'adamz'"),
    (('train.optimizer', 'schedule', 'cos'), "unknown schedule 'cos'"),
    (('train', 'compute_dtype', 'float16'), "unknown compute dtype 'float16' in train.compute_dtype"),
    (('train', 'batch_size', 12), 'train.batch_size=12 must be a positive multiple of the '
                                  'device count 8'),
    (('model', 'kind', 'vae'), "unknown autoencoder kind 'vae'"),
    (('model', 'corruption', 'blur'), "unknown corruption 'blur'"),
    (('data', 'scale', 'unit'), "'unit'"),
])
def test_bad_values(tmp_path, override, message):
  config = tiny_config()
  section, key, value = override
  node = config
  for part in section.split('.'):
    node = node[part]
  with node.unlocked() if hasattr(node, 'unlocked') else open(os.devnull):
    node[key] = value
  workdir = str(tmp_path / 'w')
  with pytest.raises(ValueError, match=message.replace('(', r'\(').replace(')', r'\)')) as e:
    experiment.build(config, workdir, FAMILIES['autoencoder'])
  assert '\n' not in str(e.value)
  assert not os.path.exists(workdir) or not os.listdir(workdir)


def test_unknown_family():
  with pytest.raises(ValueError, match="unknown family 'gann'; choose one of: audio, autoencoder"):
    get_family('gann')


def test_unknown_key_and_wrong_type_in_a_config_file(tmp_path):
  config = tiny_config()
  with config.train.unlocked():
    config.train.num_stepz = 5
  with pytest.raises(ValueError, match=r"'train.num_stepz'; did you mean train.num_steps"):
    experiment.build(config, str(tmp_path), FAMILIES['autoencoder'])
  config = tiny_config()   # a config file that rebuilds a section, bypassing type safety
  config.train = ml_collections.ConfigDict({**config.train.to_dict(), 'num_steps': '100'})
  with pytest.raises(ValueError, match=r"'train.num_steps' must be int, got '100'"):
    experiment.build(config, str(tmp_path), FAMILIES['autoencoder'])


def test_unwritable_workdir(tmp_path):
  blocker = tmp_path / 'file'
  blocker.write_text('not a directory')
  # build() writes nothing; training claims the workdir before it compiles anything.
  with pytest.raises(ValueError, match='is not writable'):
    loop.train_and_evaluate(tiny_config(), str(blocker / 'run'), FAMILIES['autoencoder'], ONE)
  with pytest.raises(ValueError, match='exists and is not a directory'):
    loop.train_and_evaluate(tiny_config(), str(blocker), FAMILIES['autoencoder'], ONE)


def test_folder_without_images(tmp_path):
  config = tiny_image_config()
  config.data.name = 'folder'
  config.data.data_dir = str(tmp_path / 'empty')
  os.makedirs(config.data.data_dir)
  (tmp_path / 'empty' / 'notes.txt').write_text('no images here')
  with pytest.raises(ValueError, match='empty'):
    experiment.build(config, str(tmp_path / 'w'), FAMILIES['autoencoder'], ONE)


def test_checkpoint_that_does_not_match_the_model(tmp_path):
  workdir = str(tmp_path / 'run')
  loop.train_and_evaluate(tiny_config(num_steps=4, checkpoint_every=4, eval_every=0,
                                      sample_every=0), workdir, FAMILIES['autoencoder'], ONE)
  before = snapshot(workdir)
  config = tiny_config(num_steps=4)
  config.model.latent_dim = 3
  with pytest.raises(ValueError, match=r'checkpoints/4 does not match the model built from '
                                       r'this config: state/.*\(\(1[,)].*\(\(3'):
    experiment.build(config, workdir, FAMILIES['autoencoder'], ONE)
  assert snapshot(workdir) == before


def test_launcher_errors_are_one_line_with_exit_code_2(tmp_path):
  workdir = str(tmp_path / 'w')
  for args, message in [
      (['--config.train.num_stepz=5'], "unknown config key 'train.num_stepz' (flag "
                                       "--config.train.num_stepz=5); did you mean train.num_steps?"),
      (['--config.train.num_steps=abc'], "--config.train.num_steps=abc: invalid literal"),
      (['--config=experiments/configs/autoencoder/conv_digits.py:bogus'],
       "unknown config variant 'bogus'"),
      (['--config.data.name=nope'], "unknown dataset 'nope'"),
      (['--mode=eval'], 'needs a checkpoint'),
      (['--mode=dream'], "unknown --mode='dream' for autoencoder; choose one of: train, eval, "
                         "sample, reconstruct"),
  ]:
    out = run_launcher('autoencoder', workdir, *args)
    assert out.returncode == 2, (args, out.stderr[-2000:])
    lines = out.stderr.strip().splitlines()
    assert lines[-1].startswith('error: ') and message in lines[-1], (args, lines[-3:])
    assert 'Traceback' not in out.stderr
