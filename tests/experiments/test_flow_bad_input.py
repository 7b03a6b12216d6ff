"""Flow bad input: one-line errors before any compile (odd sizes for squeeze, data outside
the range the flow expects, vector-only flows on images, ...), and a singular 1x1
convolution reported by name instead of silently producing NaN."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.flow import glow_digits, maf_toy2d, realnvp_cifar10
from gdm.data.source import DatasetInfo
from gdm.flows.glow import Invertible1x1Conv, check_invertible
from gdm.flows.squeeze import squeeze
from gdm.models import flow

CIFAR = DatasetInfo('cifar10', (32, 32, 3), 'image')
ODD = DatasetInfo('odd', (6, 6, 1), 'image')
GAUSS = DatasetInfo('gaussian', (2,), 'vector')


def error(config, info):
  with pytest.raises(ValueError) as e:
    flow.FAMILY.model(config, info)
  assert '\n' not in str(e.value)
  return str(e.value)


def test_config_errors_are_one_line():
  c = glow_digits.get_config('smoke')
  c.model.multiscale.num_scales = 2              # 6x6 halves once, not twice
  assert 'squeeze needs even spatial sizes: 6x6 images cannot be squeezed 2' in error(c, ODD)
  c = realnvp_cifar10.get_config('smoke')
  c.data.dequantize = False
  assert 'needs dequantized data: set data.dequantize=True' in error(c, CIFAR)
  c = realnvp_cifar10.get_config('smoke')
  c.data.scale = 'minus_one_one'
  assert "model.logit=True needs data in [0, 1] (data.scale='zero_one')" in error(c, CIFAR)
  c = realnvp_cifar10.get_config('smoke')
  c.data.update(dequantize=False, binarize='dynamic')
  assert "data.binarize='dynamic' must be none" in error(c, CIFAR)
  c = glow_digits.get_config('smoke')
  c.data.dequantize = True
  assert "variational' adds learned noise" in error(c, CIFAR)
  c = maf_toy2d.get_config('smoke')
  assert "model.kind='maf' is for 2-D/tabular data" in error(c, CIFAR)
  c.model.logit = True
  assert 'model.logit and variational dequantization apply to 8-bit images' in error(c, GAUSS)
  for model, message in [(dict(kind='flowpp'), "unknown flow kind 'flowpp'"),
                         (dict(prior='laplace'), "unknown prior 'laplace'"),
                         (dict(cnf=dict(trace='skilling')), "unknown trace estimator 'skilling'"),
                         (dict(num_layers=0), 'model.num_layers=0 must be >= 1'),
                         (dict(logit_alpha=0.5), 'model.logit_alpha=0.5 must be in')]:
    c = maf_toy2d.get_config('smoke')
    c.model.update(model)
    assert message in error(c, GAUSS)
  c = maf_toy2d.get_config('smoke')
  c.train.compute_dtype = 'bfloat16'
  assert "train.compute_dtype='bfloat16' is not supported" in error(c, GAUSS)
  c = maf_toy2d.get_config('smoke')
  c.sample.temperature = -1.0
  assert 'sample.temperature=-1.0 must be >= 0' in error(c, GAUSS)


def test_squeeze_of_an_odd_size_is_a_clear_error():
  with pytest.raises(ValueError, match='squeeze needs even spatial sizes: 3x4'):
    squeeze(jnp.zeros((1, 3, 4, 1)))


def test_singular_1x1_convolution_is_reported_not_nan():
  layer = Invertible1x1Conv(lu=False)
  x = jnp.ones((2, 2, 2, 3))
  params = jax.tree.map(np.asarray, layer.init(jax.random.key(0, impl='rbg'), x))
  check_invertible(params)                           # the random rotation is fine
  singular = np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 1.0]], np.float32)
  params['params']['kernel_1x1'] = singular
  with pytest.raises(ValueError, match=r"singular invertible 1x1 convolution: \['model'\]\['params'\]"
                                       r"\['kernel_1x1'\] \(log\|det W\| = -inf\)"):
    check_invertible({'model': params})
  _, logdet = layer.apply(params, x)
  assert np.all(np.isneginf(logdet))                # an infinite nll, never NaN
