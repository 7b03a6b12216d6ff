"""FIDInceptionV3 structure (cheap, via eval_shape) and block numerics vs a numpy transcription
of pytorch-fid's torch code (tests/nn/inception_reference.py)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.metrics.inception_weights import (count_parameters, expected_shapes,
                                           variables_from_state_dict)
from gdm.nn import inception_blocks as blocks
from gdm.nn.inception import FIDInceptionV3
from tests.nn import inception_reference as ref


def test_torch_keys_and_shapes_match_reference_table():
  got = expected_shapes()
  want = ref.reference_shapes()
  assert sorted(got) == sorted(want)
  assert got == want
  # Entries read off the reference source by hand.
  assert want['Conv2d_1a_3x3.conv.weight'] == (32, 3, 3, 3)
  assert want['Conv2d_1a_3x3.bn.running_mean'] == (32,)
  assert want['Mixed_5b.branch1x1.conv.weight'] == (64, 192, 1, 1)
  assert want['Mixed_6b.branch7x7_2.conv.weight'] == (128, 128, 1, 7)
  assert want['Mixed_7a.branch7x7x3_3.conv.weight'] == (192, 192, 7, 1)
  assert want['Mixed_7c.branch_pool.conv.weight'] == (192, 2048, 1, 1)
  assert want['fc.weight'] == (1008, 2048) and want['fc.bias'] == (1008,)


def test_parameter_count():
  table = ref.reference_shapes()
  total = sum(int(np.prod(s)) for s in table.values())
  running = sum(int(np.prod(s)) for k, s in table.items() if 'running_' in k)
  # torchvision's inception_v3 has 27,161,264 trainable parameters; without AuxLogits
  # (3,326,696) and with 1008 instead of 1000 classes (+8 * 2049) that is 23,850,960.
  assert total - running == 23_850_960
  assert total == 23_885_392                       # + 34,432 BatchNorm running statistics
  x = jax.ShapeDtypeStruct((1, 299, 299, 3), jnp.float32)
  variables = jax.eval_shape(FIDInceptionV3().init, jax.random.key(0), x)
  assert set(variables) == {'params', 'batch_stats'}
  assert count_parameters(variables) == total
  assert count_parameters(variables['params']) == total - running
  # One Flax leaf per torch key: no two leaves collapse onto one name.
  assert len(jax.tree.leaves(variables)) == len(table)


def test_feature_map_shapes_at_299():
  """Block outputs match the shape comments in torchvision's Inception3._forward."""
  model = FIDInceptionV3()
  x = jax.ShapeDtypeStruct((2, 299, 299, 3), jnp.float32)
  variables = jax.eval_shape(model.init, jax.random.key(0), x)
  out, state = jax.eval_shape(
      lambda v, x: model.apply(v, x, capture_intermediates=True, mutable=['intermediates']),
      variables, x)
  inter = state['intermediates']
  want = {'Conv2d_1a_3x3': (149, 32), 'Conv2d_2a_3x3': (147, 32), 'Conv2d_2b_3x3': (147, 64),
          'Conv2d_3b_1x1': (73, 80), 'Conv2d_4a_3x3': (71, 192), 'Mixed_5b': (35, 256),
          'Mixed_5c': (35, 288), 'Mixed_5d': (35, 288), 'Mixed_6a': (17, 768),
          'Mixed_6b': (17, 768), 'Mixed_6e': (17, 768), 'Mixed_7a': (8, 1280),
          'Mixed_7b': (8, 2048), 'Mixed_7c': (8, 2048)}
  for name, (size, chans) in want.items():
    assert inter[name]['__call__'][0].shape == (2, size, size, chans), name
  assert out.pool.shape == (2, 2048) and out.logits.shape == (2, 1008)
  assert out.pool.dtype == jnp.float32


def test_rejects_nchw_input():
  with pytest.raises(ValueError, match='NHWC'):
    jax.eval_shape(FIDInceptionV3().init, jax.random.key(0),
                   jax.ShapeDtypeStruct((1, 3, 299, 299), jnp.float32))


BLOCKS = [  # (flax module, reference kind, arg, numpy forward)
    ('A', lambda: blocks.FIDInceptionA(pool_features=24), 24, ref.block_a),
    ('B', blocks.InceptionB, None, ref.block_b),
    ('C', lambda: blocks.FIDInceptionC(channels_7x7=20), 20, ref.block_c),
    ('D', blocks.InceptionD, None, ref.block_d),
    ('E', lambda: blocks.FIDInceptionE(pool='avg'), None,
     lambda s, p, x: ref.block_e(s, p, x, 'avg')),
    ('E', lambda: blocks.FIDInceptionE(pool='max'), None,
     lambda s, p, x: ref.block_e(s, p, x, 'max')),
]


@pytest.mark.parametrize('kind, make, arg, forward', BLOCKS,
                         ids=['A', 'B', 'C', 'D', 'E_1_avg', 'E_2_max'])
def test_block_matches_torch_reference(kind, make, arg, forward):
  """Same torch-layout weights through the loader's conversion and through the numpy
  transcription: checks kernel layout (incl. 1x7 vs 7x1), paddings, strides, BatchNorm,
  pooling (count_include_pad=False, -inf max padding) and the branch concatenation order."""
  cin, size, prefix = 8, 9, f'blk{kind}'
  specs = ref.block_specs(kind, prefix, cin, arg)
  state = ref.random_state(ref.reference_shapes(specs), seed=1)
  # Signed inputs, so padding with 0 instead of -inf in a max pool would show.
  x_nchw = np.random.default_rng(2).normal(size=(2, cin, size, size)).astype(np.float32)
  x = jnp.asarray(x_nchw.transpose(0, 2, 3, 1))

  block = make()
  shapes = jax.eval_shape(block.init, jax.random.key(0), x)
  template = {col: {prefix: tree} for col, tree in shapes.items()}
  variables = variables_from_state_dict(state, template)
  got = block.apply({c: t[prefix] for c, t in variables.items()}, x)
  want = forward(state, prefix, x_nchw.astype(np.float64)).transpose(0, 2, 3, 1)
  assert got.shape == want.shape
  np.testing.assert_allclose(np.asarray(got), want, rtol=1e-4, atol=1e-4 * np.abs(want).max())


def test_pool_variants_differ():
  """The FID patches matter: excluding padding from the average changes border pixels and
  max pooling with -inf padding differs from zero padding on negative inputs."""
  x = -jnp.ones((1, 4, 4, 1))
  assert np.allclose(blocks.avg_pool_3x3_same(x), -1.0)          # torch default would give -4/9
  assert np.allclose(blocks.max_pool_3x3_same(x), -1.0)          # zero padding would give 0
  with pytest.raises(ValueError, match='pool'):
    blocks.FIDInceptionE(pool='sum').init(jax.random.key(0), jnp.zeros((1, 3, 3, 4)))
