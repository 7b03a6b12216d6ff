"""Run options: the learning rate and step time in the log, the profiler, the compile cache."""
import os

import jax
import numpy as np
import pytest

from experiments.families import FAMILIES
from experiments.launch import parse_steps
from gdm.train import loop
from gdm.train.optim import make_schedule
from gdm.train.writer import read_metrics
from tests.helpers import run_launcher, tiny_config

ONE = jax.devices()[:1]


def test_the_log_has_the_learning_rate_and_the_step_time(tmp_path):
  config = tiny_config(num_steps=8, log_every=2, eval_every=0, sample_every=0)
  config.train.optimizer.update(schedule='linear', warmup_steps=4)
  loop.train_and_evaluate(config, str(tmp_path), FAMILIES['autoencoder'], ONE)
  logged = [m for m in read_metrics(str(tmp_path)) if 'loss' in m]
  schedule = make_schedule(loop.build(config, str(tmp_path), FAMILIES['autoencoder'],
                                      ONE).config.train.optimizer, 8)
  for m in logged:
    np.testing.assert_allclose(m['lr'], float(schedule(m['step'] - 1)), rtol=1e-6)
    assert m['step_time_s'] > 0
  assert logged[0]['lr'] < logged[1]['lr']            # the warm-up is visible


@pytest.mark.parametrize('text, want', [('', None), ('3:7', (3, 7))])
def test_profile_steps_parse(text, want):
  assert parse_steps(text) == want


@pytest.mark.parametrize('text', ['3', '7:3', 'a:b', '3:3'])
def test_bad_profile_steps(text):
  with pytest.raises(ValueError, match=r'--profile_steps=.* must be A:B with whole numbers'):
    parse_steps(text)


def test_profile_trace_and_compile_cache_from_the_launcher(tmp_path):
  workdir, cache = str(tmp_path / 'run'), str(tmp_path / 'cache')
  smoke = '--config=experiments/configs/autoencoder/conv_digits.py:smoke'
  out = run_launcher('autoencoder', workdir, smoke, '--profile_steps=2:4',
                     f'--compile_cache={cache}')
  assert out.returncode == 0, out.stderr[-3000:]
  traces = [f for r, _, fs in os.walk(os.path.join(workdir, 'profile')) for f in fs]
  assert any(f.endswith(('.xplane.pb', '.trace.json.gz')) for f in traces), traces
  assert os.listdir(cache)                            # compiled programs were cached
