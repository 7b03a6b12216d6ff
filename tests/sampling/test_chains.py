"""The chains by name: MALA samples exp(-E) exactly (where unadjusted Langevin at the same step
is visibly biased), in a box and conditionally; langevin and decoupled are SGLD with noise
sqrt(2 eps) and noise_scale; the config section's checks and the reading of older runs."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from gdm.sampling import chains
from gdm.sampling.chains import SGLDConfig
from gdm.sampling.langevin import sgld
from gdm.sampling.mala import mala
from gdm.utils.schema import parse
from tests.sampling.test_sgld import MU, SIGMA, discretised_covariance, gaussian_energy

pytestmark = pytest.mark.optimized   # long sampler loops: see tests/xla_test_flags.py

KEY = jax.random.key(0, impl='rbg')
N = 8192


def start(n=N, d=2):
  return jax.random.uniform(jax.random.key(1, impl='rbg'), (n, d), minval=-4.0, maxval=4.0)


def se_cov(c, n=N):
  return np.sqrt((c ** 2 + np.outer(np.diag(c), np.diag(c))) / n)


def test_mala_is_exact_where_unadjusted_langevin_is_biased():
  h = 0.15          # h * lambda_max = 0.75: ULA's stiff variance is 1.6x too large
  x, accepted = jax.jit(lambda x0: mala(gaussian_energy, x0, KEY, step_size=h,
                                        num_steps=600))(start())
  x = np.asarray(x, np.float64)
  np.testing.assert_array_less(np.abs(x.mean(0) - MU), 4 * np.sqrt(np.diag(SIGMA) / N))
  np.testing.assert_array_less(np.abs(np.cov(x.T) - SIGMA), 4 * se_cov(SIGMA))
  assert 0.3 < float(accepted) < 0.95
  # What unadjusted Langevin samples at this step: 0.107 off in Var(x_1), 3.4 of these
  # standard errors (MALA's error is within 4 of each entry's own).
  biased = discretised_covariance(h, math.sqrt(2 * h))
  assert np.abs(biased - SIGMA).max() > 3 * se_cov(SIGMA).max()


def test_mala_in_a_box_samples_the_truncated_density():
  energy = lambda x: 0.5 * jnp.sum(x ** 2, 1)             # N(0, 1) per coordinate
  x0 = jax.random.uniform(jax.random.key(2, impl='rbg'), (N, 1), minval=-1.0, maxval=1.0)
  x, _ = jax.jit(lambda x0: mala(energy, x0, KEY, step_size=0.5, num_steps=300,
                                 bounds=(-1.0, 1.0)))(x0)
  x = np.asarray(x, np.float64)[:, 0]
  assert np.all(np.abs(x) <= 1)
  want = stats.truncnorm(-1, 1).var()                      # 0.291
  np.testing.assert_allclose(x.var(), want, atol=4 * want * math.sqrt(2 / N))


def test_mala_with_a_mask_samples_the_conditional():
  """x_0 fixed at 2: x_1 | x_0 ~ N(mu_1 + S10 / S00 (2 - mu_0), S11 - S10^2 / S00)."""
  x0 = jnp.concatenate([jnp.full((N, 1), 2.0), start(N, 1)], 1)
  x, _ = jax.jit(lambda x0: mala(gaussian_energy, x0, KEY, step_size=0.3, num_steps=300,
                                 update=jnp.array([False, True])))(x0)
  x = np.asarray(x, np.float64)
  np.testing.assert_array_equal(x[:, 0], 2.0)
  mean = MU[1] + SIGMA[1, 0] / SIGMA[0, 0] * (2 - MU[0])
  var = SIGMA[1, 1] - SIGMA[1, 0] ** 2 / SIGMA[0, 0]
  assert abs(x[:, 1].mean() - mean) < 4 * math.sqrt(var / N)
  np.testing.assert_allclose(x[:, 1].var(), var, atol=4 * var * math.sqrt(2 / N))


def test_kinds_run_the_chain_they_name():
  x0 = start(64)
  box = (-4.0, 4.0)
  run = lambda s: jax.jit(lambda x: chains.run(s, gaussian_energy, x, KEY, 5, bounds=box))(x0)
  direct = jax.jit(lambda x, h, s: sgld(gaussian_energy, x, KEY, step_size=h, noise_scale=s,
                                        num_steps=5, bounds=box))
  np.testing.assert_array_equal(run(SGLDConfig(kind='langevin', step_size=0.02)),
                                direct(x0, 0.02, math.sqrt(0.04)))
  np.testing.assert_array_equal(run(SGLDConfig(kind='decoupled', step_size=0.02,
                                               noise_scale=0.005)), direct(x0, 0.02, 0.005))
  want, _ = jax.jit(lambda x: mala(gaussian_energy, x, KEY, step_size=0.02, num_steps=5,
                                   bounds=box))(x0)
  np.testing.assert_array_equal(run(SGLDConfig(kind='mala', step_size=0.02)), want)
  assert set(chains.CHAINS) == {'langevin', 'mala', 'decoupled'}


@pytest.mark.parametrize('values, message', [
    (dict(kind='metropolis'), "unknown chain kind 'metropolis' in model.sgld.kind"),
    (dict(noise_scale=0.005), r"model.sgld.noise_scale=0.005 is set, but kind='langevin' "
                              r'draws its noise with std sqrt\(2 \* step_size\)'),
    (dict(kind='mala', noise_scale=0.2), "but kind='mala'"),
])
def test_bad_settings(values, message):
  with pytest.raises(ValueError, match=message) as e:
    parse(SGLDConfig, values, 'model.sgld.')
  assert '\n' not in str(e.value)


def test_older_runs_read_as_decoupled():
  """config.json written before `kind` existed: the noise was set apart from the step."""
  old = dict(steps=60, step_size=10.0, noise_scale=0.005, grad_clip=0.0, unroll=1)
  assert parse(SGLDConfig, old, 'model.sgld.', migrate=True).kind == 'decoupled'
  assert parse(SGLDConfig, dict(old, kind='mala', noise_scale=0.1), 'model.sgld.',
               migrate=True).kind == 'mala'
  with pytest.raises(ValueError, match="kind='langevin'"):     # a config file is not migrated
    parse(SGLDConfig, old, 'model.sgld.')
