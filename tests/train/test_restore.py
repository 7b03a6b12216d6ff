"""restore_run opens a trained run read-only: no data loaded, nothing written, and it works on
a workdir the process cannot write to (checked with privileges dropped, as CI runs as root)."""
import os
import subprocess
import sys
import textwrap

import jax
import numpy as np
import pytest

from experiments.families import FAMILIES
from gdm.train import loop
from gdm.train.restore import restore_run
from tests.helpers import REPO, flat, read_checkpoint, snapshot, tiny_config, xla_flags

ONE = jax.devices()[:1]


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
  workdir = str(tmp_path_factory.mktemp('run'))
  loop.train_and_evaluate(tiny_config(num_steps=4, checkpoint_every=4), workdir,
                          FAMILIES['autoencoder'], ONE)
  return workdir


def test_restores_the_newest_ema_params_and_writes_nothing(trained, monkeypatch):
  from gdm import data as data_lib
  before = snapshot(trained)
  monkeypatch.setattr(data_lib, 'load_source', lambda *a: pytest.fail('loaded data'))
  run = restore_run(trained, FAMILIES['autoencoder'])
  assert run.step == 4 and run.info.name == 'moons' and run.info.shape == (2,)
  saved = flat(read_checkpoint(trained, 4)['ema_params'])
  got = flat(jax.device_get(run.params))
  assert saved.keys() == got.keys()
  for k in saved:
    np.testing.assert_array_equal(saved[k], got[k])
  assert snapshot(trained) == before


def test_bad_workdirs_are_one_line_errors(trained, tmp_path):
  with pytest.raises(ValueError, match=r"^model.vqvae_workdir='.*' is a 'autoencoder' run, "
                                       r"not a 'vqvae' one$"):
    restore_run(trained, FAMILIES['vqvae'], 'model.vqvae_workdir')
  with pytest.raises(ValueError, match='does not exist'):
    restore_run(str(tmp_path / 'nowhere'), FAMILIES['autoencoder'])
  with pytest.raises(ValueError, match='is not a gdm workdir'):
    restore_run(str(tmp_path), FAMILIES['autoencoder'])


def test_restores_from_a_workdir_it_cannot_write(trained, tmp_path):
  """chmod a-w on the whole workdir, then restore as a process without CAP_DAC_OVERRIDE:
  the same process's write attempt fails, so the check is real even as root."""
  ro = str(tmp_path / 'ro')
  subprocess.run(['cp', '-a', trained, ro], check=True)
  subprocess.run(['chmod', '-R', 'a-w', ro], check=True)
  code = textwrap.dedent(f'''
      import os, sys
      try:
        open(os.path.join({ro!r}, 'probe'), 'w')
        sys.exit('the workdir is writable: privileges were not dropped')
      except PermissionError:
        pass
      from experiments.families import FAMILIES
      from gdm.train.restore import restore_run
      run = restore_run({ro!r}, FAMILIES['autoencoder'])
      print('restored', run.step)
  ''')
  env = dict(os.environ, XLA_FLAGS=xla_flags(1))
  try:
    out = subprocess.run(['setpriv', '--bounding-set=-dac_override,-dac_read_search',
                          '--inh-caps=-dac_override,-dac_read_search', sys.executable, '-c',
                          code], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=300)
  finally:
    subprocess.run(['chmod', '-R', 'u+w', ro], check=True)
  assert out.returncode == 0, out.stderr[-3000:]
  assert 'restored 4' in out.stdout
