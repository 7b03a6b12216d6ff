"""python -m experiments.compare end to end on the tiny preset (every config's :smoke variant,
8 steps): the report's contents, and that a rerun continues (adds a family, keeps what was
done, retrains nothing) and refuses other settings."""
import base64
import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from experiments.comparison import runner
from experiments.comparison.progress import Progress
from experiments.families import FAMILIES
from tests.helpers import REPO, xla_flags

pytestmark = pytest.mark.slow   # trains models for minutes: python -m pytest -m slow

SMOKE = runner.PRESETS['smoke']


def _compare(workdir, *names):
  return runner.run(str(workdir), names, SMOKE, FAMILIES, say=lambda _: None)


def _mtimes(workdir):
  return {os.path.join(root, f): os.stat(os.path.join(root, f)).st_mtime_ns
          for root, _, files in os.walk(workdir) for f in files}


@pytest.fixture(scope='module')
def compared(tmp_path_factory):
  """vae alone, then vae and gan in the same workdir (the rerun adds gan)."""
  workdir = tmp_path_factory.mktemp('compare')
  _compare(workdir, 'vae')
  first = json.loads((workdir / 'report.json').read_text())
  vae_files = _mtimes(workdir / 'vae')
  path = _compare(workdir, 'vae', 'gan')
  return workdir, path, first, vae_files


def test_report_json_holds_every_number(compared):
  workdir, _, _, _ = compared
  report = json.loads((workdir / 'report.json').read_text())
  assert list(report['families']) == ['vae', 'gan']
  vae, gan = report['families']['vae'], report['families']['gan']
  # The VAE's rows are its own evaluation at the last step, labelled, bits/dim = nats / (64 ln 2)
  # (discretized logistic: the 8-bit pixels' probability, no offset).
  records = [json.loads(line) for line in open(workdir / 'vae' / 'metrics.jsonl')]
  last = [r for r in records if r['step'] == 8 and 'eval/nll' in r][-1]
  iwae, elbo = vae['likelihood']
  assert (iwae['name'], iwae['label'], elbo['label']) == ('IWAE', 'estimate', 'bound')
  assert iwae['nll'] == pytest.approx(last['eval/nll'], rel=1e-6)
  assert elbo['nll'] == pytest.approx(-last['eval/elbo'], rel=1e-6)
  assert iwae['bpd'] == pytest.approx(last['eval/nll'] / (64 * np.log(2)), rel=1e-5)
  assert iwae['bpd'] == pytest.approx(last['eval/bpd'], rel=1e-5)
  assert gan['likelihood'] == []
  for r in (vae, gan):
    assert r['step'] == 8 and r['num_samples'] == SMOKE.num_samples
    s = r['samples']
    assert s['fid'] > 0 and 0 <= s['precision'] <= 1 and 0 <= s['recall'] <= 1
    assert s['kid'] == pytest.approx(s['kid'], abs=1)   # finite
    assert r['sample_s_per_image'] > 0 and r['train_examples_per_s'] > 0
    assert r['params'] > 0 and list(r['stages'][r['family']]['curves'])
    x = np.load(r['samples_npz'])['x']
    assert x.shape == (SMOKE.sample_batch, 8, 8, 1)
  assert set(gan['stages']['gan']['curves']) == {'generator/loss', 'discriminator/loss'}
  # Held-out digits scored the same way: the floor the samples are read against.
  ref = report['reference']
  assert ref['num'] == SMOKE.num_samples and ref['fid'] < min(vae['samples']['fid'],
                                                              gan['samples']['fid'])
  assert report['classifier']['accuracy'] is not None


def test_report_html_is_one_page_with_every_picture(compared):
  workdir, path, _, _ = compared
  assert path == str(workdir / 'report.html')
  page = (workdir / 'report.html').read_text()
  srcs = re.findall(r'src="([^"]*)"', page)
  assert len(srcs) == 2 + 2      # a grid per family, the loss curves, the P/R scatter
  for src in srcs:
    assert src.startswith('data:image/png;base64,')
    assert base64.b64decode(src.split(',', 1)[1])[:8] == b'\x89PNG\r\n\x1a\n'
  assert 'href=' not in page and '<script' not in page
  for text in ('IWAE estimate', 'ELBO bound', 'test digits (real, 32)', '>gan<'):
    assert text in page
  table = (workdir / 'report.md').read_text().splitlines()
  assert len(table) == 2 + 3 and table[2].startswith('| vae | ')


def test_rerun_keeps_what_was_done(compared):
  workdir, _, first, vae_files = compared
  report = json.loads((workdir / 'report.json').read_text())
  assert report['families']['vae'] == first['families']['vae']
  assert _mtimes(workdir / 'vae') == vae_files    # not retrained, not resampled
  assert len(report['settings']) and report['settings'] == first['settings']
  sessions = Progress(str(workdir)).data['sessions']
  assert [s['families'] for s in sessions] == [['vae'], ['vae', 'gan']]
  assert report['wall_s'] == pytest.approx(sum(s['wall_s'] for s in sessions))


def test_rerun_with_other_settings_is_refused(compared):
  workdir, _, _, _ = compared
  other = runner.Settings(**{**SMOKE.__dict__, 'num_samples': 48})
  with pytest.raises(ValueError, match=r'started with num_samples=32, this run asks for 48'):
    runner.run(str(workdir), ('vae',), other, FAMILIES)


def test_launcher_bad_family_is_one_line(tmp_path):
  out = subprocess.run([sys.executable, '-m', 'experiments.compare', f'--workdir={tmp_path}',
                        '--families=vae,gann'], cwd=REPO, capture_output=True, text=True,
                       env=dict(os.environ, XLA_FLAGS=xla_flags(1)))
  assert out.returncode != 0
  assert "'gann'" in out.stderr and 'autoencoder' in out.stderr
  assert os.listdir(tmp_path) == []
