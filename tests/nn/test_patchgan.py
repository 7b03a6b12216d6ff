"""The PatchGAN's receptive field is what it is configured to be: the gradient of one output
with respect to the input is zero outside an N x N window (and not zero on its border)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.nn import patchgan
from gdm.nn.patchgan import PatchDiscriminator


def support(d, params, x, i, j):
  """The input rows and columns the output (i, j) depends on."""
  g = jax.grad(lambda v: d.apply(params, v)[0, i, j])(x)
  hit = np.argwhere(np.abs(np.asarray(g)[0]).sum(-1) > 0)
  return hit.min(0), hit.max(0)


@pytest.mark.parametrize('field, size', [(1, 8), (16, 32), (34, 48), (70, 96), (142, 176)])
def test_receptive_field_by_gradients(field, size):
  d = PatchDiscriminator(field, channels=2, max_channels=4, norm='none')
  x = jax.random.normal(jax.random.key(0), (1, size, size, 3))
  params = d.init(jax.random.key(1), x)
  out = d.apply(params, x)
  side = patchgan.output_size(size, field)
  assert out.shape == (1, side, side) and out.dtype == jnp.float32
  assert patchgan.field_of(patchgan.strides(field)) == field
  c = side // 2       # an output whose window lies inside the image
  low, high = support(d, params, x, c, c)
  np.testing.assert_array_equal(high - low + 1, [field, field])
  # A corner output's window is cut by the padding, never larger.
  low, high = support(d, params, x, 0, 0)
  assert (low == 0).all() and (high - low + 1 <= field).all()


def test_paper_layers():
  """70x70: C64-C128-C256-C512 then a 1-channel conv (Isola et al., 2017, Sec. 6.1.2)."""
  d = PatchDiscriminator(70)
  shapes = jax.eval_shape(d.init, jax.random.key(0), jnp.zeros((1, 256, 256, 6)))['params']
  widths = [shapes[f'conv{i}']['kernel'].shape[-1] for i in range(4)]
  assert widths == [64, 128, 256, 512] and shapes['score']['kernel'].shape == (4, 4, 512, 1)
  out = jax.eval_shape(d.apply, {'params': shapes}, jnp.zeros((1, 256, 256, 6)))
  assert out.shape == (1, 30, 30)     # the pix2pix reference's 30x30 map of 70x70 patches
  assert [patchgan.levels(f) for f in patchgan.RECEPTIVE_FIELDS] == [0, 1, 2, 3, 4, 5]


def test_full_image_discriminator_sees_every_pixel():
  size = 24
  field = patchgan.full_image_field(size)
  assert field == 34 and patchgan.output_size(size, field) >= 1
  d = PatchDiscriminator(field, channels=2, max_channels=4, norm='none', pooled=True)
  x = jax.random.normal(jax.random.key(0), (1, size, size, 1))
  params = d.init(jax.random.key(1), x)
  assert d.apply(params, x).shape == (1, 1, 1)
  g = jax.grad(lambda v: d.apply(params, v).sum())(x)
  assert (np.abs(np.asarray(g)) > 0).all()
  with pytest.raises(ValueError, match='no PatchGAN covers 4x4 images'):
    patchgan.full_image_field(4)


def test_spectral_norm_advances_only_when_asked():
  x = jax.random.normal(jax.random.key(0), (2, 32, 32, 3))
  d = PatchDiscriminator(16, channels=2, spectral_norm=True)
  v = d.init(jax.random.key(1), x)
  out, new = d.apply(v, x, True, mutable=['batch_stats'])
  assert 'batch_stats' in v and out.shape == (2, 14, 14)
  assert any(not np.array_equal(a, b) for a, b in zip(jax.tree.leaves(new['batch_stats']),
                                                      jax.tree.leaves(v['batch_stats'])))
