"""The layering in setup.cfg ([importlinter]): experiments -> gdm.models -> gdm.train ->
libraries -> gdm.nn -> gdm.utils, and no import cycles. Also run by .ci/run."""
import subprocess

from tests.helpers import REPO


def test_imports_keep_the_layering_contract():
  out = subprocess.run(['lint-imports'], cwd=REPO, capture_output=True, text=True, timeout=300)
  assert out.returncode == 0, out.stdout[-3000:]
  assert 'Contracts: 2 kept, 0 broken.' in out.stdout
