"""Loading torch-named Inception weights from .npz, its errors, and the .pth converter."""
import sys
import types

import jax
import numpy as np
import pytest

from gdm.metrics import convert_inception_weights as convert
from gdm.metrics.inception_weights import (expected_shapes, load_inception_params,
                                           variables_from_state_dict)
from tests.nn import inception_reference as ref


@pytest.fixture(scope='module')
def state():
  return ref.random_state(expected_shapes(), seed=0)


def test_npz_round_trip_layouts(state, tmp_path):
  path = tmp_path / 'inception.npz'
  # torch state dicts also hold BatchNorm's integer step counters: they are skipped.
  np.savez(path, **state, **{'Mixed_5b.branch1x1.bn.num_batches_tracked': np.int64(7)})
  v = load_inception_params(str(path))
  assert set(v) == {'params', 'batch_stats'}
  p, bs = v['params'], v['batch_stats']
  # Conv OIHW -> HWIO, checked on a non-square kernel so an H/W swap would show.
  w = state['Mixed_6b.branch7x7_2.conv.weight']                      # (128, 128, 1, 7)
  kernel = np.asarray(p['Mixed_6b']['branch7x7_2']['conv']['kernel'])
  assert kernel.shape == (1, 7, 128, 128)
  np.testing.assert_array_equal(kernel, w.transpose(2, 3, 1, 0))
  np.testing.assert_array_equal(kernel[0, 3, 5, 9], w[9, 5, 0, 3])
  # fc [out, in] -> Dense [in, out].
  np.testing.assert_array_equal(p['fc']['kernel'], state['fc.weight'].T)
  np.testing.assert_array_equal(p['fc']['bias'], state['fc.bias'])
  # BatchNorm affine -> params, running statistics -> batch_stats.
  bn = 'Conv2d_1a_3x3.bn'
  np.testing.assert_array_equal(p['Conv2d_1a_3x3']['bn']['scale'], state[f'{bn}.weight'])
  np.testing.assert_array_equal(p['Conv2d_1a_3x3']['bn']['bias'], state[f'{bn}.bias'])
  np.testing.assert_array_equal(bs['Conv2d_1a_3x3']['bn']['mean'], state[f'{bn}.running_mean'])
  np.testing.assert_array_equal(bs['Conv2d_1a_3x3']['bn']['var'], state[f'{bn}.running_var'])
  assert all(x.dtype == np.float32 for x in jax.tree.leaves(v))


def test_missing_tensor(state):
  broken = dict(state)
  del broken['Mixed_7c.branch_pool.bn.running_var']
  with pytest.raises(ValueError, match=r"missing tensor 'Mixed_7c\.branch_pool\.bn\.running_var'"):
    variables_from_state_dict(broken)


def test_unexpected_tensor(state):
  # E.g. a torchvision checkpoint with the aux classifier pytorch-fid's model does not have.
  broken = {**state, 'AuxLogits.fc.weight': np.zeros((1008, 768), np.float32)}
  with pytest.raises(ValueError, match=r"unexpected tensor 'AuxLogits\.fc\.weight'"):
    variables_from_state_dict(broken)


def test_misshaped_tensor(state):
  # torchvision's ImageNet head has 1000 classes; the FID graph has 1008.
  broken = {**state, 'fc.weight': np.zeros((1000, 2048), np.float32)}
  with pytest.raises(ValueError, match=r"'fc\.weight' has shape \(1000, 2048\), "
                                       r"expected \(1008, 2048\)"):
    variables_from_state_dict(broken)
  # An already-transposed (HWIO) conv kernel is rejected rather than silently misread.
  w = state['Conv2d_2a_3x3.conv.weight']
  with pytest.raises(ValueError, match=r"'Conv2d_2a_3x3\.conv\.weight' has shape "
                                       r"\(3, 3, 32, 32\), expected \(32, 32, 3, 3\)"):
    variables_from_state_dict({**state, 'Conv2d_2a_3x3.conv.weight': w.transpose(2, 3, 1, 0)})


def test_error_messages_are_one_line(state):
  broken = {k: v for k, v in state.items() if not k.startswith('Mixed_6')}
  with pytest.raises(ValueError) as info:
    variables_from_state_dict(broken)
  assert '\n' not in str(info.value) and '...' in str(info.value)


def test_npz_with_objects_is_refused(tmp_path):
  path = tmp_path / 'pickled.npz'
  np.savez(path, x=np.array([{'a': 1}], dtype=object))
  with pytest.raises(ValueError, match='pickle'):
    load_inception_params(str(path))


def test_converter_drops_step_counters_and_casts():
  out = convert.state_dict_to_numpy({'a.bn.num_batches_tracked': np.int64(3),
                                     'a.conv.weight': np.ones((2, 1, 1, 1), np.float64)})
  assert list(out) == ['a.conv.weight'] and out['a.conv.weight'].dtype == np.float32


def test_converter_without_torch(monkeypatch, tmp_path):
  monkeypatch.setitem(sys.modules, 'torch', None)        # makes `import torch` fail
  with pytest.raises(SystemExit, match='needs PyTorch'):
    convert.main([str(tmp_path / 'x.pth'), str(tmp_path / 'x.npz')])


def test_converter_checks_hash_in_name(tmp_path):
  path = tmp_path / 'pt_inception-2015-12-05-6726825d.pth'
  path.write_bytes(b'not the real weights')
  with pytest.raises(SystemExit, match='does not match'):
    convert._check_hash(str(path))
  convert._check_hash(str(tmp_path / 'weights.pth'))      # no hash in the name: no check


def test_converter_main_with_stand_in_torch(state, monkeypatch, tmp_path):
  """The whole script path, with a stand-in `torch.load` returning a state dict."""
  calls = []

  def load(path, map_location, weights_only):
    calls.append((path, map_location, weights_only))
    return {**state, 'Conv2d_1a_3x3.bn.num_batches_tracked': np.int64(0)}

  monkeypatch.setitem(sys.modules, 'torch', types.SimpleNamespace(load=load))
  src, dst = tmp_path / 'weights.pth', tmp_path / 'weights.npz'
  src.write_bytes(b'')
  convert.main([str(src), str(dst)])
  assert calls == [(str(src), 'cpu', True)]
  with np.load(dst, allow_pickle=False) as data:
    assert sorted(data.files) == sorted(state)
  v = load_inception_params(str(dst))
  np.testing.assert_array_equal(v['params']['fc']['bias'], state['fc.bias'])
