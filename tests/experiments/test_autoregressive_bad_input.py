"""Bad input to the autoregressive family: one-line errors naming the value, before compile."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.autoregressive import made_eight_gaussians, pixelcnn_digits
from experiments.families import FAMILIES
from gdm.train import experiment

ONE = jax.devices()[:1]


def _build(tmp_path, config):
  return experiment.build(config, str(tmp_path / 'w'), FAMILIES['autoregressive'], ONE)


@pytest.mark.parametrize('overrides, message', [
    ({'model.net': 'wavenet'}, "unknown autoregressive net 'wavenet'"),
    ({'model.likelihood': 'poisson'}, "unknown autoregressive likelihood 'poisson'"),
    ({'data.binarize': 'none'}, "likelihood='bernoulli' needs binary pixels"),
    ({'data.binarize': 'none', 'model.likelihood': 'categorical', 'data.dequantize': True},
     r'integer pixel values in \[0, 255\] scaled to \[-1, 1\].*dequantize=True'),
    ({'model.likelihood': 'logistic_mixture'}, "net='pixelcnn_pp' goes with"),
    ({'model.pixelcnn.features': 7}, 'model.pixelcnn.features=7 must be a positive multiple of 2'),
    ({'model.pixelcnn.first_kernel_size': 4}, 'model.pixelcnn.first_kernel_size=4 must be odd'),
    ({'model.inpaint_rows': 8}, r'model.inpaint_rows=8 must be in \[0, 8\)'),
    ({'model.net': 'pixelcnn_pp', 'model.likelihood': 'logistic_mixture',
      'model.pixelcnn_pp.levels': 5},
     'need image sides divisible by 16'),
    ({'model.vqvae_workdir': '/nonexistent/vq'}, "vqvae_workdir='/nonexistent/vq' does not"),
    ({'model.net': 'image_transformer', 'model.image_transformer.attention': 'local_2d',
      'model.image_transformer.local_2d.query_rows': 3},
     r'local_2d.query_rows=3 must divide the image side 8'),
])
def test_bad_config_values(tmp_path, overrides, message):
  config = pixelcnn_digits.get_config('smoke')
  for key, value in overrides.items():
    *sections, name = key.split('.')
    node = config
    for section in sections:
      node = node[section]
    node[name] = value
  if 'model.vqvae_workdir' in overrides:
    config.model.likelihood = 'categorical'
  with pytest.raises(ValueError, match=message) as e:
    _build(tmp_path, config)
  assert '\n' not in str(e.value)


def test_image_nets_and_likelihoods_on_vectors(tmp_path):
  config = made_eight_gaussians.get_config('smoke')
  config.model.net = 'gated_pixelcnn'
  with pytest.raises(ValueError, match="net='gated_pixelcnn' needs images"):
    _build(tmp_path, config)
  config.model.net, config.model.likelihood = 'made', 'bernoulli'
  with pytest.raises(ValueError, match="likelihood='bernoulli' needs images"):
    _build(tmp_path, config)


def test_data_outside_what_the_likelihood_scores(tmp_path):
  exp = _build(tmp_path, pixelcnn_digits.get_config('smoke'))
  params, state = jax.eval_shape(exp.model.init, jax.random.key(0),
                                 {'x': jnp.zeros((1, 8, 8, 1))})
  params = jax.tree.map(lambda a: jnp.zeros(a.shape, a.dtype), params)
  x = np.zeros((2, 8, 8, 1), np.float32)
  x[1, 3, 3] = 0.5
  with pytest.raises(ValueError, match='Bernoulli likelihood needs binary data.*0.5'):
    exp.model.evaluate(params, state, {'x': jnp.asarray(x)}, jax.random.key(0))
  config = pixelcnn_digits.get_config('smoke')
  config.data.binarize, config.model.likelihood = 'none', 'categorical'
  exp = _build(tmp_path, config)
  x[:], x[1, 3, 3] = -1.0, 0.5             # 8-bit values 0 everywhere, 191.25 at one pixel
  with pytest.raises(ValueError, match=r'integer pixel values in \[0, 255\].*pixel 191.25'):
    exp.model.evaluate(params, state, {'x': jnp.asarray(x)}, jax.random.key(0))
