"""The VAE's typed `model` section: misspelled keys name the dotted key and the nearest valid
one, bad values are one-line errors, objective settings live in their variant's section."""
import pytest

from experiments.configs.vae import common, mlp_digits
from gdm.data.source import DatasetInfo
from gdm.models import vae
from gdm.models.vae.config import VAEConfig
from gdm.train.config import parse_run
from tests.helpers import one_line_error as one_line

DIGITS = DatasetInfo('digits', (8, 8, 1), 'image', num_classes=10, num_examples=1437)


@pytest.mark.parametrize('overrides, message', [
    (dict(latnet_dim=3), "unknown config key 'model.latnet_dim'; did you mean model.latent_dim?"),
    (dict(elbo=dict(bta=2.0)), "unknown config key 'model.elbo.bta'; did you mean "
                               "model.elbo.beta?"),
    (dict(objectve='iwae'), "did you mean model.objective?"),
    (dict(objective='vimco'), "unknown ELBO variant 'vimco' in model.objective; choose one of: "
                              "elbo, iwae"),
    (dict(kind='resnet'), "unknown VAE kind 'resnet' in model.kind"),
    (dict(decoder='poisson'), "unknown decoder likelihood 'poisson' in model.decoder"),
    (dict(kl='exact'), "unknown KL estimator 'exact' in model.kl"),
    (dict(act='swish'), "unknown activation 'swish' in model.act"),
    (dict(variance='diag'), "unknown Gaussian variance 'diag' in model.variance"),
    (dict(latent_dim=0), 'model.latent_dim=0 must be > 0'),
    (dict(eval_k=0), 'model.eval_k=0 must be >= 1'),
    (dict(fixed_std=0.0), 'model.fixed_std=0.0 must be > 0'),
    (dict(num_mixtures=0), 'model.num_mixtures=0 must be >= 1'),
    (dict(elbo=dict(beta=-1.0)), 'model.elbo.beta=-1.0 must be >= 0'),
    (dict(elbo=dict(warmup_steps=-1)), 'model.elbo.warmup_steps=-1 must be >= 0'),
    (dict(elbo=dict(free_bits=-0.5)), 'model.elbo.free_bits=-0.5 must be >= 0'),
    (dict(iwae=dict(k=0)), 'model.iwae.k=0 must be >= 1 (number of importance samples)'),
    (dict(iwae='k=5'), "config key 'model.iwae' must be a section"),
])
def test_bad_model_keys_fail_where_the_config_file_writes_them(overrides, message):
  assert message in one_line(lambda: common.model_config(**overrides))


def test_defaults_are_the_baselines_defaults():
  m = VAEConfig()
  assert (m.objective, m.elbo.beta, m.elbo.warmup_steps, m.elbo.free_bits, m.iwae.k) == (
      'elbo', 1.0, 0, 0.0, 1)
  assert m.variant_config is m.elbo
  run = parse_run(mlp_digits.get_config(), VAEConfig)
  assert run.model.variant_config == run.model.elbo


def test_an_unselected_objective_section_must_stay_at_its_defaults():
  c = mlp_digits.get_config('smoke')
  c.model.iwae.k = 5           # forgot model.objective='iwae'
  msg = one_line(lambda: vae.FAMILY.model(c, DIGITS))
  assert msg.startswith("model.iwae.k=5 is set, but model.objective='elbo' trains the ELBO")
  c.model.objective = 'iwae'
  vae.FAMILY.model(c, DIGITS)  # now it is the IWAE's
