"""The compare's pieces against hand computations: the step budget and the schedule it
implies, the likelihood rows (bits/dim of discrete models and of dequantized densities), the
speed and curve readers, the family list and the settings checks."""
import math

import ml_collections
import pytest

from experiments.comparison import budget, likelihood, measure, plan, runner
from gdm.data.config import PixelFormat
from gdm.data.source import DatasetInfo

INFO = DatasetInfo(name='digits', shape=(8, 8, 1), kind='image', num_classes=10)


def test_num_steps_whole_calls_at_least_one_capped():
  assert budget.num_steps(10.0, 7.3, 1) == 73
  assert budget.num_steps(10.0, 7.3, 4) == 72
  assert budget.num_steps(0.01, 7.3, 4) == 4
  assert budget.num_steps(10.0, 7.3, 4, max_steps=10) == 8
  assert budget.num_steps(10.0, 7.3, 4, max_steps=2) == 4


def test_fit_spreads_logs_and_checkpoints_and_shortens_the_ema():
  config = ml_collections.ConfigDict({
      'train': {'steps_per_call': 2, 'num_steps': 5000, 'log_every': 100,
                'checkpoint_every': 1000, 'eval_every': 2500, 'sample_every': 2500,
                'ema_decay': 0.999},
      'sample': {'num_samples': 64}})
  out = budget.fit(config, 400, sample_batch=16)
  t = out.train
  assert (t.num_steps, t.log_every, t.checkpoint_every) == (400, 8, 100)
  assert (t.eval_every, t.sample_every, out.sample.num_samples) == (0, 0, 16)
  assert t.ema_decay == pytest.approx(1 - 1 / 20)      # window 20 = 400 / 20
  assert config.train.num_steps == 5000                # the input is not changed
  assert budget.fit(config, 1_000_000, 16).train.ema_decay == 0.999


def test_likelihood_rows_in_bits_per_dim_of_8bit_data():
  discrete = plan.Likelihood('ELBO', 'elbo', 'bound', plan.DISCRETE, sign=-1.0)
  density = plan.Likelihood('exact', 'nll', 'exact', plan.DENSITY)
  eight_bit = PixelFormat(scale='minus_one_one', dequantize=False)
  dequant = PixelFormat(scale='minus_one_one', dequantize=True)
  (row,) = likelihood.rows((discrete,), {'eval/elbo': -100.0}, INFO, eight_bit)
  assert row['nll'] == 100.0 and row['bpd'] == pytest.approx(100 / (64 * math.log(2)))
  assert row['of'] == '8-bit, [-1, 1]'
  # A density on [-1, 1]: + 64 log(256 / 2) nats for the change of variables to [0, 256).
  (row,) = likelihood.rows((density,), {'eval/nll': -50.0}, INFO, dequant)
  assert row['bpd'] == pytest.approx((-50 + 64 * math.log(128)) / (64 * math.log(2)))
  assert row['of'] == 'uniformly dequantized, [-1, 1]'
  (row,) = likelihood.rows((density,), {'eval/nll': -50.0}, INFO, eight_bit)
  assert row['bpd'] is None                  # a density of 8-bit values: no bits/dim
  with pytest.raises(ValueError, match=r'no eval/nll \(it has eval/loss\)'):
    likelihood.rows((density,), {'eval/loss': 1.0}, INFO, dequant)
  with pytest.raises(ValueError, match='likelihood label'):
    plan.Likelihood('x', 'nll', 'upper', plan.DISCRETE)


def test_speed_curves_and_final_eval_from_the_log():
  records = [{'step': 10, 'loss': 3.0, 'step_time_s': 5.0},      # holds the compile
             {'step': 20, 'loss': 2.0, 'step_time_s': 0.1},
             {'step': 20, 'eval/nll': 9.0},
             {'step': 30, 'loss': 1.0, 'step_time_s': 0.3},
             {'step': 30, 'd/loss': 4.0, 'g/loss': 5.0, 'step_time_s': 0.3},
             {'step': 30, 'eval/nll': 7.0, 'eval/bpd': 1.0}]
  assert measure.train_speed(records, 64) == pytest.approx(64 / 0.3)
  assert measure.train_speed(records[:1], 64) is None
  assert measure.loss_curves(records) == {'loss': [[10, 3.0], [20, 2.0], [30, 1.0]],
                                          'd/loss': [[30, 4.0]], 'g/loss': [[30, 5.0]]}
  assert measure.final_eval(records, 30) == {'eval/nll': 7.0, 'eval/bpd': 1.0}
  assert measure.final_eval(records, 40) is None
  stages = [{'num_steps': 100, 'batch': 10, 'examples_per_s': 100.0},    # 10 s
            {'num_steps': 100, 'batch': 30, 'examples_per_s': 1000.0}]   # 3 s
  assert measure.overall_speed(stages) == pytest.approx(4000 / 13)


def test_families_in_the_tables_order_and_bad_names():
  assert plan.parse_families('') == tuple(plan.ENTRIES)
  assert plan.parse_families(' ebm, vae ') == ('vae', 'ebm')
  with pytest.raises(ValueError, match="'gann'.*autoencoder"):
    plan.parse_families('vae,gann')


def test_settings_checks():
  with pytest.raises(ValueError, match='--budget_s=0 must be > 0'):
    runner.Settings(budget_s=0, num_samples=64)
  with pytest.raises(ValueError, match='--num_samples=8 must be at least the KID subset'):
    runner.Settings(budget_s=1, num_samples=8, kid_subset_size=16)
  with pytest.raises(ValueError, match='exceeds the 1500 training digits'):
    runner.Settings(budget_s=1, num_samples=2000, kid_subset_size=16)
