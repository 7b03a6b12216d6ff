"""StyleGAN2's launcher modes end to end on the digits smoke config: each writes its file as
`--mode=NAME` does, with the grids the docstring promises."""
import jax
import numpy as np

from experiments.configs.gan import stylegan2_digits
from experiments.families import FAMILIES
from gdm.models.gan.stylegan2_modes import MIX_COLS, ROWS, TRUNCATION_PSIS
from gdm.train import experiment
from gdm.train.evaluation import Evaluator


def test_every_mode_writes_its_grids(tmp_path):
  config = stylegan2_digits.get_config('smoke')
  exp = experiment.build(config, str(tmp_path), FAMILIES['gan'], jax.devices()[:1])
  state, _ = exp.restore_or_init()     # (modes run on any params; the configs test trains)
  # Noise strengths start at 0 and w_avg at 0: give both values, so rows can differ.
  params = jax.tree_util.tree_map_with_path(
      lambda p, v: v + 0.5 if 'noise_strength' in jax.tree_util.keystr(p) else v,
      state.ema_params)
  w_avg = np.random.default_rng(0).normal(size=state.model_state['w_avg'].shape)
  state = state.replace(ema_params=params,
                        model_state={**state.model_state, 'w_avg': w_avg.astype(np.float32)})
  evaluator = Evaluator(exp)
  assert set(exp.model.modes) == {'style_mixing', 'interpolate', 'truncation'}
  out = {}
  for name in exp.model.modes:
    with np.load(evaluator.write_mode(state, name)) as f:
      out.update(dict(f))
  exp.checkpointer.close()
  assert all(np.all(np.isfinite(v)) for v in out.values())
  assert out['coarse'].shape == out['fine'].shape == (ROWS + 1, MIX_COLS + 1, 8, 8, 1)
  np.testing.assert_array_equal(out['coarse'][0, 0], 0.0)                 # the blank corner
  # Sources: the same A (column 0) and B (row 0) images in both grids.
  np.testing.assert_allclose(out['coarse'][:, 0], out['fine'][:, 0], atol=1e-6)
  np.testing.assert_allclose(out['coarse'][0], out['fine'][0], atol=1e-6)
  assert out['z'].shape == out['w'].shape == (4, 8, 8, 8, 1)
  for end in (0, -1):          # Z and W paths join the same two samples
    np.testing.assert_allclose(out['z'][:, end], out['w'][:, end], atol=1e-4)
  assert out['truncation'].shape == (len(TRUNCATION_PSIS), 8, 8, 8, 1)
  rows = dict(zip(TRUNCATION_PSIS, out['truncation']))
  np.testing.assert_allclose(rows[0.0], np.broadcast_to(rows[0.0][0], rows[0.0].shape),
                             atol=1e-5)                   # psi = 0: every column the mean w
  assert np.abs(rows[1.0] - rows[1.0][:1]).max() > 1e-3   # psi = 1: the samples differ
