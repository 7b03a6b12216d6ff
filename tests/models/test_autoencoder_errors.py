"""Autoencoder config errors: one line naming the key, before anything is built."""
import pytest

from gdm.data.source import DatasetInfo
from gdm.models import autoencoder
from gdm.models.autoencoder import family as ae
from tests.models.ae_reference import DIGITS, MOONS, conv_config, mlp_config, typed


# ---------------------------------------------------------------- config errors

def _one_line_error(config, info) -> str:
  with pytest.raises(ValueError) as e:
    autoencoder.FAMILY.model(config, info)
  msg = str(e.value)
  assert '\n' not in msg, msg
  return msg


def test_bce_on_minus_one_one_images_raises():
  msg = _one_line_error(conv_config(loss='bce'), DIGITS)
  assert "model.loss='bce' needs data in [0, 1]" in msg and "'minus_one_one'" in msg
  # Allowed with zero_one scaling or binarized data.
  c = conv_config(loss='bce')
  c.data.binarize = 'dynamic'
  autoencoder.FAMILY.model(c, DIGITS)


def test_conv_on_vectors_raises():
  msg = _one_line_error(conv_config(), MOONS)
  assert "model.kind='conv' needs an image dataset" in msg and "'moons'" in msg


def test_conv_on_non_square_images_raises():
  # e.g. an image folder or CelebA (218x178) with data.image_size=0: without this check the
  # decoder (square by construction) fails later with an opaque reshape error.
  msg = _one_line_error(conv_config(), DatasetInfo('celeb_a', (218, 178, 3), 'image'))
  assert 'square' in msg and '218x178' in msg and 'data.image_size' in msg


def test_unknown_kind_loss_corruption_raise():
  msg = _one_line_error(mlp_config(kind='vae'), MOONS)
  assert "'vae'" in msg and 'model.kind' in msg and 'stacked' in msg
  msg = _one_line_error(mlp_config(loss='l1'), MOONS)
  assert "'l1'" in msg and 'model.loss' in msg
  msg = _one_line_error(mlp_config(corruption='blur'), MOONS)
  assert "'blur'" in msg
  msg = _one_line_error(mlp_config(corruption='masking', noise_level=2.0), MOONS)
  assert 'level=2.0' in msg
  msg = _one_line_error(mlp_config(latent_dim=0), MOONS)
  assert 'model.latent_dim=0' in msg
  msg = _one_line_error(mlp_config(act='swish'), MOONS)
  assert "'swish'" in msg


def test_value_bounds():
  c = conv_config()
  assert ae.value_bounds(typed(c).data, DIGITS) == (-1.0, 1.0)
  c.data.scale = 'zero_one'
  assert ae.value_bounds(typed(c).data, DIGITS) == (0.0, 1.0)
  c.data.scale = 'none'
  assert ae.value_bounds(typed(c).data, DIGITS) == (0.0, 255.0)
  c.data.binarize = 'static'
  assert ae.value_bounds(typed(c).data, DIGITS) == (0.0, 1.0)
  assert ae.value_bounds(typed(mlp_config()).data, MOONS) == (0.0, 0.0)


@pytest.mark.parametrize('model, message', [
    (dict(loss='bce'), "model.loss='bce' needs data in \\[0, 1\\]; 'moons' is real-valued"),
    (dict(corruption='salt_and_pepper', noise_level=0.1),
     "salt_and_pepper' needs images with a value range; 'moons'"),
])
def test_vector_data_rejects_image_only_options(model, message):
  with pytest.raises(ValueError, match=message):
    autoencoder.FAMILY.model(mlp_config(**model), MOONS)
