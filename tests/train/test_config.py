"""The run config's schema: unknown keys with suggestions, types, and every range check."""
import ml_collections
import pytest

from experiments.configs import default
from experiments.configs.autoencoder import conv_digits, mlp_moons
from experiments.families import FAMILIES
from gdm.train.config import parse_run
from gdm.utils.schema import section


@section
class Model:
  width: int = 4


def _with_model(c):
  c.model = ml_collections.ConfigDict({'width': 4})
  return c


def _check(config, model=Model):
  return parse_run(config, model)


def _raw(mutate):
  """A config with `mutate(dict)` applied, bypassing ConfigDict's own type checks (as a
  hand-built or loaded config would)."""
  d = _with_model(default.get_config()).to_dict()
  mutate(d)
  return ml_collections.ConfigDict(d)


def _error(config) -> str:
  with pytest.raises(ValueError) as e:
    _check(config)
  msg = str(e.value)
  assert '\n' not in msg, msg
  return msg


@pytest.mark.parametrize('make', [mlp_moons.get_config, conv_digits.get_config,
                                  lambda: mlp_moons.get_config('smoke'),
                                  lambda: conv_digits.get_config('smoke')])
def test_shipped_configs_pass(make):
  run = _check(make(), FAMILIES['autoencoder'].config)
  assert run.train.num_steps >= 1 and run.data.name


def test_unknown_key_suggests_the_closest():
  c = _with_model(default.get_config())
  c.train.num_stepz = 10
  msg = _error(c)
  assert "'train.num_stepz'" in msg and 'did you mean train.num_steps?' in msg
  c = _with_model(default.get_config())
  c.train.optimizer.lerning_rate = 0.1
  msg = _error(c)
  assert 'train.optimizer.lerning_rate' in msg and 'train.optimizer.learning_rate' in msg
  c = _with_model(default.get_config())
  c.data.zzzzzz = 1                           # nothing close: still lists the known keys
  msg = _error(c)
  assert "'data.zzzzzz'" in msg and 'did you mean' not in msg and 'image_size' in msg
  c = _with_model(default.get_config())
  c.zeed = 1
  assert "'zeed'; did you mean seed?" in _error(c)


def test_model_section_is_checked_against_the_family_dataclass():
  c = _with_model(default.get_config())
  c.model.widht = 3
  assert "unknown config key 'model.widht'; did you mean model.width?" in _error(c)
  c = _raw(lambda d: d['model'].update(width='wide'))
  assert "config key 'model.width' must be int, got 'wide' (str)" in _error(c)
  assert _check(_with_model(default.get_config())).model == Model(width=4)


@pytest.mark.parametrize('path,value,needles', [
    (('train', 'num_steps'), '10', ["'train.num_steps'", 'must be int', "'10'", 'str']),
    (('train', 'num_steps'), 10.0, ["'train.num_steps'", 'must be int', 'float']),
    (('train', 'num_steps'), True, ["'train.num_steps'", 'must be int', 'bool']),
    (('data', 'shuffle'), 1, ["'data.shuffle'", 'must be bool', 'int']),
    (('train', 'ema_decay'), '0.9', ["'train.ema_decay'", 'must be float', 'str']),
    (('train', 'optimizer', 'name'), 3, ["'train.optimizer.name'", 'must be str', 'int']),
    (('seed',), 1.5, ["'seed'", 'must be int', 'float']),
])
def test_wrong_types_name_key_and_type(path, value, needles):
  def mutate(d):
    for p in path[:-1]:
      d = d[p]
    d[path[-1]] = value
  msg = _error(_raw(mutate))
  for n in needles:
    assert n in msg, (n, msg)


def test_section_replaced_by_a_value():
  msg = _error(_raw(lambda d: d.update(eval=3)))
  assert "'eval'" in msg and 'section' in msg


def test_missing_sections_take_their_defaults_but_model_is_required():
  c = _with_model(default.get_config())
  del c['sample']
  assert _check(c).sample.num_samples == 64
  with pytest.raises(ValueError, match='config has no model section'):
    _check(default.get_config())


def test_ints_accepted_for_float_fields():
  def mutate(d):
    d['train']['ema_decay'] = 0
    d['train']['optimizer']['learning_rate'] = 1
    d['train']['optimizer']['clip_norm'] = 2
  c = _raw(mutate)
  assert type(c.train.optimizer.learning_rate) is int
  run = _check(c)
  assert type(run.train.optimizer.learning_rate) is float


@pytest.mark.parametrize('updates,needles', [
    (dict(num_steps=0), ['train.num_steps=0', '>= 1']),
    (dict(batch_size=-4), ['train.batch_size=-4']),
    (dict(max_nonfinite=0), ['train.max_nonfinite=0']),
    (dict(eval_every=-1), ['train.eval_every=-1', '>= 0']),
    (dict(ema_decay=1.0), ['train.ema_decay=1.0', '[0, 1)']),
    (dict(ema_decay=-0.1), ['train.ema_decay=-0.1']),
    (dict(ema_start=-1), ['train.ema_start=-1', '>= 0']),
    (dict(ema_rampup=-0.05), ['train.ema_rampup=-0.05', '>= 0']),
    (dict(steps_per_call=3), ['train.log_every=100', 'multiple', 'steps_per_call=3']),
    (dict(steps_per_call=4, log_every=8, checkpoint_every=10),
     ['train.checkpoint_every=10', 'steps_per_call=4']),
    (dict(compute_dtype='float16'), ["'float16'", 'bfloat16', 'train.compute_dtype']),
])
def test_train_range_checks(updates, needles):
  c = _with_model(default.get_config())
  c.train.update(updates)
  msg = _error(c)
  for n in needles:
    assert n in msg, (n, msg)


@pytest.mark.parametrize('section_, key, value, needle', [
    ('eval', 'batch_size', 0, 'eval.batch_size=0'),
    ('eval', 'num_examples', -1, 'eval.num_examples=-1'),
    ('sample', 'num_samples', 0, 'sample.num_samples=0'),
    ('data', 'image_size', -4, 'data.image_size=-4 must be >= 0'),
    ('data', 'num_examples', -1, 'data.num_examples=-1'),
    ('data', 'scale', 'unit', "unknown pixel scale 'unit' in data.scale"),
])
def test_other_range_checks(section_, key, value, needle):
  c = _with_model(default.get_config())
  c[section_][key] = value
  assert needle in _error(c)


def test_optimizer_checks():
  c = _with_model(default.get_config())
  c.train.optimizer.name = 'lion'
  assert "unknown optimizer 'lion' in train.optimizer.name" in _error(c)
  c = _with_model(default.get_config())
  c.train.optimizer.learning_rate = -1.0
  assert 'train.optimizer.learning_rate=-1.0 must be > 0' in _error(c)
  with pytest.raises(ValueError, match="'optimizer.lerning_rate'; did you mean "
                                       "optimizer.learning_rate"):
    default.optimizer_config(lerning_rate=1.0)


def test_valid_multiples_pass():
  c = _with_model(default.get_config())
  c.train.update(steps_per_call=4, log_every=8, checkpoint_every=12, eval_every=0,
                 sample_every=4, ema_decay=0.0, compute_dtype='bfloat16')
  assert _check(c).train.steps_per_call == 4
