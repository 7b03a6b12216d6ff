"""The flow end to end: train, then `python -m experiments.flow --mode=eval` writes eval/nll
(nats) and eval/bpd (the modes themselves are tested in tests/models/test_flow.py)."""
import json

import jax
import numpy as np

from experiments.configs.flow import glow_digits
from experiments.families import FAMILIES
from gdm.train import loop
from gdm.train.writer import read_metrics
from tests.helpers import run_launcher

SMOKE = '--config=experiments/configs/flow/glow_digits.py:smoke'
# NICE with uniform dequantization: the cheapest image flow to compile.
OVERRIDES = ('--config.model.kind=nice', '--config.model.dequantization=uniform',
             '--config.data.dequantize=True')
ONE = jax.devices()[:1]


def test_eval_writes_nll_and_bpd(tmp_path):
  workdir = str(tmp_path / 'run')
  config = glow_digits.get_config('smoke')
  config.model.update(kind='nice', dequantization='uniform')
  config.data.dequantize = True
  state = loop.train_and_evaluate(config, workdir, FAMILIES['flow'], ONE)
  step = int(state.step)

  out = run_launcher('flow', workdir, SMOKE, *OVERRIDES, '--mode=eval')
  assert out.returncode == 0, out.stderr[-3000:]
  result = json.loads(out.stdout.strip().splitlines()[-1])
  assert result['step'] == step
  # bits/dim = (nll + D log(256 / 2)) / (D ln 2) for 8x8x1 digits in [-1, 1].
  d = 64
  np.testing.assert_allclose(result['eval/bpd'],
                             (result['eval/nll'] + d * np.log(128)) / (d * np.log(2)),
                             rtol=1e-5)
  assert result['eval/loss'] == result['eval/nll']
  assert read_metrics(workdir)[-1]['eval/bpd'] == result['eval/bpd']
