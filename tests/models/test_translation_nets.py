"""The translation generators: the U-Net's skip connections line up with the decoder maps
they join, the nets have the papers' shapes, dropout is the U-Net's noise."""
import jax
import jax.numpy as jnp
import numpy as np

from gdm.models.translation.nets import ResNetGenerator, UNetGenerator

CHANNELS, SIZE = (2, 2, 2), 48


def _ones_net():
  """A U-Net of all-ones kernels and zero biases without norms: on a positive input every
  unit is active, so the net is linear with symmetric kernels."""
  net = UNetGenerator(CHANNELS, 1, norm='none', dropout=0.0, output='linear')
  x = jnp.ones((1, SIZE, SIZE, 1))
  params = net.init(jax.random.key(0), x)
  params = jax.tree_util.tree_map_with_path(
      lambda p, v: jnp.ones_like(v) if 'kernel' in jax.tree_util.keystr(p) else 0 * v, params)
  return net, params, x


def _through(params, level):
  """The params with every path but one cut: the path through encoder level `level`'s skip
  (or, for the innermost level, the bottleneck). up{m} reads [decoder maps, skip m]."""
  cut = jax.tree.map(lambda v: v, params)
  for m in range(len(CHANNELS) - 1):
    kernel, c = cut['params'][f'up{m}']['kernel'], CHANNELS[m]
    if m < level or level == len(CHANNELS) - 1:
      kernel = kernel.at[:, :, c:].set(0.0)      # not through skip m
    if m == level:
      kernel = kernel.at[:, :, :c].set(0.0)      # only through skip m
    cut['params'][f'up{m}']['kernel'] = kernel
  return cut


def _centre(net, params, x, i, j):
  g = np.asarray(jax.grad(lambda v: net.apply(params, v)[0, i, j, 0])(x)[0, ..., 0])
  assert (g >= 0).all() and g.sum() > 0
  rows, cols = np.meshgrid(np.arange(SIZE), np.arange(SIZE), indexing='ij')
  return np.array([(g * rows).sum(), (g * cols).sum()]) / g.sum()


def test_unet_skips_keep_spatial_alignment():
  """For interior outputs, the input region seen through every skip is centred where the
  region seen through the bottleneck is: a skip shifted by one pixel of its level moves its
  centre by 2**(level + 1) pixels. (Even 4x4 kernels put every centre half a pixel off the
  output pixel, alternately, on every path alike.)"""
  net, params, x = _ones_net()
  paths = [_through(params, level) for level in range(len(CHANNELS))]
  for i, j in [(20, 20), (21, 24), (24, 27), (27, 22)]:
    centres = [_centre(net, p, x, i, j) for p in paths]
    for c in centres[:-1]:
      np.testing.assert_allclose(c, centres[-1], atol=1e-4)
    np.testing.assert_allclose(np.abs(centres[-1] - (i, j)), [0.5, 0.5], atol=1e-4)


def test_unet_paper_shape():
  """pix2pix at 256x256: 8 halvings to a 1x1 bottleneck; what each decoder layer reads, the
  skips concatenated, is the paper's CD512-CD1024-CD1024-C1024-C1024-C512-C256-C128
  (Isola et al., 2017, Sec. 6.1.1)."""
  net = UNetGenerator((64, 128, 256, 512, 512, 512, 512, 512), 3)
  shapes = jax.eval_shape(net.init, jax.random.key(0), jnp.zeros((1, 256, 256, 3)))['params']
  ins = [shapes[f'up{m}']['kernel'].shape[2] for m in reversed(range(8))]
  assert ins == [512, 1024, 1024, 1024, 1024, 512, 256, 128]
  assert shapes['up0']['kernel'].shape[-1] == 3
  assert 'down_norm0' not in shapes and 'down_norm7' not in shapes and 'down_norm6' in shapes


def test_dropout_is_the_noise():
  net = UNetGenerator((4, 8, 8), 1, norm='instance')
  x = jax.random.normal(jax.random.key(0), (2, 16, 16, 1))
  params = net.init(jax.random.key(1), x)
  a, b = (net.apply(params, x, False, rngs={'dropout': jax.random.key(k)}) for k in (2, 3))
  assert not np.allclose(a, b)
  c, d = (net.apply(params, x, True, rngs={'dropout': jax.random.key(k)}) for k in (2, 3))
  np.testing.assert_array_equal(c, d)
  assert a.shape == (2, 16, 16, 1) and float(jnp.abs(a).max()) <= 1.0   # tanh


def test_resnet_generator_paper_shape():
  """c7s1-64, d128, d256, 9 x R256, u128, u64, c7s1-3 (Zhu et al., 2017, Sec. 7.2)."""
  net = ResNetGenerator(3)
  x = jnp.zeros((1, 256, 256, 3))
  shapes = jax.eval_shape(net.init, jax.random.key(0), x)['params']
  assert shapes['in']['kernel'].shape == (7, 7, 3, 64)
  assert [shapes[f'down{i}']['kernel'].shape[-1] for i in range(2)] == [128, 256]
  assert sum(k.startswith('block') for k in shapes) == 9
  assert shapes['block8']['conv1']['kernel'].shape == (3, 3, 256, 256)
  assert [shapes[f'up{i}']['kernel'].shape[-1] for i in (1, 0)] == [128, 64]
  assert shapes['out']['kernel'].shape == (7, 7, 64, 3)
  assert jax.eval_shape(net.apply, {'params': shapes}, x).shape == (1, 256, 256, 3)
