"""The autoregressive and VQ-VAE `model` sections: misspelled keys name the dotted key and
the nearest valid one (in the net sections and the untrained codec's section too), values
are checked where they are written, and every net and likelihood has its builder."""
import pytest

from experiments.configs.autoregressive import common, pixelcnn_digits, vqvae_prior_digits
from experiments.configs.vqvae import common as vqvae_common
from gdm.models.autoregressive import config as ar_config
from gdm.models.autoregressive import heads, nets
from gdm.models.autoregressive.config import AutoregressiveConfig
from gdm.models.vqvae.config import VQVAEConfig
from gdm.train.config import parse_run


@pytest.mark.parametrize('overrides, message', [
    (dict(likelihod='bernoulli'), r"'model.likelihod'; did you mean model.likelihood\?"),
    (dict(pixelcnn=dict(featurs=8)), r"'model.pixelcnn.featurs'; did you mean "
                                     r"model.pixelcnn.features\?"),
    (dict(gated_pixelcnn=dict(kernel=3)), r"'model.gated_pixelcnn.kernel'; did you mean "
                                          r"model.gated_pixelcnn.kernel_size\?"),
    (dict(untrained_vqvae=dict(num_code=4)), r"'model.untrained_vqvae.num_code'; did you "
                                             r"mean model.untrained_vqvae.num_codes\?"),
    (dict(image_transformer=dict(local_2d=dict(query_row=2))),
     r"'model.image_transformer.local_2d.query_row'; did you mean "
     r"model.image_transformer.local_2d.query_rows\?"),
])
def test_misspelled_keys_name_the_nearest_key(overrides, message):
  with pytest.raises(ValueError, match=message):
    common.model_config(**overrides)


def test_misspelled_key_in_a_config_file_fails_at_parse():
  config = pixelcnn_digits.get_config('smoke')
  with config.model.pixelcnn.unlocked():
    config.model.pixelcnn.num_layer = 2
  with pytest.raises(ValueError, match=r"'model.pixelcnn.num_layer'; did you mean "
                                       r"model.pixelcnn.num_layers\?"):
    parse_run(config, AutoregressiveConfig)
  with pytest.raises(ValueError, match=r"'model.num_code'; did you mean model.num_codes\?"):
    vqvae_common.model_config(num_code=8)


@pytest.mark.parametrize('overrides, message', [
    (dict(nade=dict(hidden=0)), r'^model.nade.hidden=0 must be >= 1$'),
    (dict(made=dict(order='sideways')), r"unknown MADE order 'sideways' in model.made.order"),
    (dict(gated_pixelcnn=dict(kernel_size=4)), r'^model.gated_pixelcnn.kernel_size=4 must be '
                                               r'odd$'),
    (dict(pixelcnn_pp=dict(dropout=1.0)), r'model.pixelcnn_pp.dropout=1.0 must be in'),
    (dict(untrained_vqvae=dict(num_codes=0)), r'^model.untrained_vqvae.num_codes=0 must be'),
    (dict(vqvae_workdir='/tmp/vq', untrained_vqvae={}, likelihood='categorical'),
     r'model.vqvae_workdir=.* and model.untrained_vqvae exclude each other'),
    (dict(image_transformer=dict(features=30)),
     r'^model.image_transformer.features=30 must be a multiple of num_heads=4$'),
    (dict(image_transformer=dict(attention='axial')),
     r"unknown attention pattern 'axial' in model.image_transformer.attention"),
    (dict(image_transformer=dict(fixed=dict(summary=0))),
     r'^model.image_transformer.fixed.summary=0 must be >= 1$'),
    (dict(sampler='fast'), r"unknown autoregressive sampler 'fast' in model.sampler"),
    (dict(net='pixelcnn', likelihood='logistic_mixture'),
     r"which only it and image_transformer can use; got net='pixelcnn'"),
    (dict(vqvae_workdir='/tmp/vq', net='made', likelihood='categorical'),
     r"model.net='made' with likelihood='categorical' cannot be a prior over VQ-VAE codes"),
])
def test_bad_values_name_the_dotted_key(overrides, message):
  with pytest.raises(ValueError, match=message) as e:
    common.model_config(**overrides)
  assert '\n' not in str(e.value)


def test_every_net_and_likelihood_has_a_builder_and_a_section():
  assert set(nets.NETS) == set(ar_config.NETS)
  fields = set(AutoregressiveConfig.__dataclass_fields__)
  assert set(ar_config.NETS) <= fields
  assert set(heads.HEADS) == {'bernoulli', 'categorical', 'gaussian_mixture',
                              'logistic_mixture'}


def test_the_smoke_prior_describes_its_untrained_codec_in_typed_config():
  run = parse_run(vqvae_prior_digits.get_config('smoke'), AutoregressiveConfig)
  assert run.model.vqvae_workdir == '' and isinstance(run.model.untrained_vqvae, VQVAEConfig)
  assert run.model.untrained_vqvae.num_codes == 16 and run.model.code_prior
  assert parse_run(vqvae_prior_digits.get_config(), AutoregressiveConfig).model.untrained_vqvae \
      is None
