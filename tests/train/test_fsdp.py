"""FSDP-style sharding of the train state over the mesh's 'fsdp' axis (train.fsdp,
train.param_sharding): the same losses as one device, exact resume, one-line errors."""
import chex
import jax
import numpy as np
import pytest

from experiments.families import FAMILIES
from gdm.train import experiment, loop
from gdm.train.param_sharding import leaf_spec
from gdm.train.writer import read_metrics
from jax.sharding import PartitionSpec as P
from tests.helpers import tiny_config

ONE = jax.devices()[:1]
AE = FAMILIES['autoencoder']


def sharded_config(num_steps=6, **train):
  config = tiny_config(num_steps=num_steps, log_every=1, eval_every=3, sample_every=0,
                       checkpoint_every=3, **train)
  config.model.hidden = (16, 16)              # widths the fsdp axis divides
  return config


def test_leaf_spec_picks_the_largest_divisible_dimension():
  assert leaf_spec((3, 16), 4) == P(None, 'fsdp')
  assert leaf_spec((32, 16), 4) == P('fsdp', None)
  assert leaf_spec((3, 5), 4) == P() and leaf_spec((), 4) == P()
  assert leaf_spec((16,), 1) == P()


def test_sharded_state_gives_the_losses_of_one_device(tmp_path):
  one = loop.train_and_evaluate(sharded_config(), str(tmp_path / 'one'), AE, ONE)
  config = sharded_config(fsdp=4, param_sharding=('kernel',))
  exp = experiment.build(config, str(tmp_path / 'fsdp'), AE)
  assert dict(exp.mesh.shape) == {'data': 2, 'fsdp': 4}
  kernel = exp.state_sharding.params['model']['encoder']['dense0']['kernel']
  bias = exp.state_sharding.params['model']['encoder']['dense0']['bias']
  assert kernel.spec == P(None, 'fsdp') and bias.spec == P()
  adam_mu = exp.state_sharding.opt_state['model'][0].mu['encoder']['dense0']['kernel']
  assert adam_mu.spec == P(None, 'fsdp')        # the moments live with their kernel
  sharded = loop.train(exp)
  leaf = sharded.params['model']['encoder']['dense0']['kernel']
  assert leaf.sharding.spec == P(None, 'fsdp') and len(leaf.addressable_shards) == 8
  chex.assert_trees_all_close(jax.device_get(one.params), jax.device_get(sharded.params),
                              rtol=1e-4, atol=1e-5)
  for a, b in zip(read_metrics(str(tmp_path / 'one')), read_metrics(str(tmp_path / 'fsdp'))):
    for k in ('loss', 'eval/loss'):
      if k in a:
        np.testing.assert_allclose(a[k], b[k], rtol=1e-4, atol=1e-6, err_msg=k)


def test_resume_with_a_sharded_state_and_accumulation_is_exact(tmp_path):
  on = dict(fsdp=4, grad_accum=2, prefetch=2)
  config = sharded_config(**on)
  full = loop.train_and_evaluate(config, str(tmp_path / 'full'), AE)
  part = str(tmp_path / 'part')
  loop.train_and_evaluate(sharded_config(num_steps=3, **on), part, AE)
  resumed = loop.train_and_evaluate(config, part, AE)
  chex.assert_trees_all_equal(jax.device_get(full.params), jax.device_get(resumed.params))


@pytest.mark.parametrize('train, message', [
    (dict(fsdp=3), 'train.fsdp=3 must divide the device count 8'),
    (dict(fsdp=2, param_sharding=('([',)), "train.param_sharding: '([' is not a regular "
                                           'expression'),
])
def test_bad_sharding_is_a_one_line_error(tmp_path, train, message):
  with pytest.raises(ValueError, match=message.replace('(', r'\(').replace('[', r'\[')):
    experiment.build(sharded_config(**train), str(tmp_path), AE)
