"""The flow's `model` section: misspelled keys name the dotted key and the nearest valid one,
kind-specific keys sit in their sub-sections and their checks name the full dotted key, and
the config files write the section's defaults."""
import pytest

from experiments.configs import default
from experiments.configs.flow import common, maf_toy2d
from gdm.data.source import DatasetInfo
from gdm.models import flow
from gdm.models.flow.config import FlowConfig
from gdm.utils import schema

GAUSS = DatasetInfo('gaussian', (2,), 'vector')


def error(**model):
  with pytest.raises(ValueError) as e:
    default.model_section(FlowConfig, **model)
  assert '\n' not in str(e.value)
  return str(e.value)


def test_misspelled_keys_name_the_dotted_key_and_the_nearest_one():
  assert "'model.num_layer'; did you mean model.num_layers?" in error(num_layer=3)
  assert "'model.cnf.num_stpes'; did you mean model.cnf.num_steps?" in error(
      cnf=dict(num_stpes=3))
  assert "'model.multiscale.chanels'; did you mean model.multiscale.channels?" in error(
      multiscale=dict(chanels=3))
  assert "'model.glow.lu_'; did you mean model.glow.lu?" in error(glow=dict(lu_=False))
  # A flag on the command line goes through the same parse when the model is made.
  c = maf_toy2d.get_config('smoke')
  c.model.cnf.tarce = 'exact'
  with pytest.raises(ValueError, match=r"'model.cnf.tarce'; did you mean model.cnf.trace\?"):
    flow.FAMILY.model(c, GAUSS)


def test_sub_section_checks_name_the_full_key():
  assert 'model.cnf.num_steps=0 must be >= 1' in error(cnf=dict(num_steps=0))
  assert 'model.cnf.time=0.0 must be > 0' in error(cnf=dict(time=0.0))
  assert 'model.multiscale.num_blocks=-1 must be >= 0' in error(multiscale=dict(num_blocks=-1))
  assert 'model.multiscale.num_scales=0 must be >= 1' in error(multiscale=dict(num_scales=0))
  assert "config key 'model.glow' must be a section" in error(glow=True)
  assert "unknown activation 'swish' in model.act" in error(act='swish')
  assert 'model.hidden=() must hold positive widths' in error(hidden=())


def test_config_files_write_the_section_defaults():
  assert common.model_config().to_dict() == schema.to_dict(FlowConfig())
  smoke = maf_toy2d.get_config('smoke').model
  assert smoke.cnf.num_steps == 2 and smoke.cnf.time == 1.0 and smoke.cnf.trace == 'hutchinson'
  assert smoke.multiscale.channels == 4 and smoke.glow.lu
