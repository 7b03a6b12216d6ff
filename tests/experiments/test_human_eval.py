"""The human-evaluation app without a browser: answers twice or out of order are refused and
change nothing, the report's numbers by hand, and one-line errors for bad input."""
import os
import sqlite3
import subprocess
import sys

import pytest

from experiments.human_eval import app as web
from experiments.human_eval import report, stimuli, store
from tests.experiments.human_eval_run import trained_run
from tests.helpers import REPO, xla_flags


@pytest.fixture(scope='module')
def run_dir(tmp_path_factory):
  return trained_run(tmp_path_factory)


def client(run_dir, tmp_path):
  pool = stimuli.load_pool([run_dir], 20)
  db = store.open_store(str(tmp_path / 'db.sqlite'))
  return web.create_app(pool, db, 0, 2, 1).test_client(), db


def tokens(db):
  return [t for (t,) in db.execute('SELECT token FROM trials ORDER BY position')]


def test_answers_twice_or_out_of_order_are_refused(run_dir, tmp_path):
  c, db = client(run_dir, tmp_path)
  c.post('/start', data={'rater': 'bob'})
  order = tokens(db)
  assert len(order) == 2 + 2 + 1
  out = c.post('/answer', data={'token': order[1], 'answer': 'real', 'rt': '5'})
  assert out.status_code == 409 and b'in the order the images are shown' in out.data
  assert c.post('/answer', data={'token': order[0], 'answer': 'real', 'rt': '5'}
                ).status_code == 302
  out = c.post('/answer', data={'token': order[0], 'answer': 'fake', 'rt': '5'})
  assert out.status_code == 409 and b'already answered' in out.data
  assert db.execute('SELECT answer FROM answers').fetchall() == [('real',)]
  assert c.post('/answer', data={'token': 'nope', 'answer': 'real'}).status_code == 409
  assert c.get('/image/' + order[1]).status_code == 200
  other = web.create_app(stimuli.load_pool([run_dir], 20), db, 0, 2, 1).test_client()
  assert other.get('/image/' + order[1]).status_code == 404   # not another session's images


def test_images_do_not_tell_real_from_fake(run_dir, tmp_path):
  c, db = client(run_dir, tmp_path)
  c.post('/start', data={'rater': 'eve'})
  sizes = {kind: c.get('/image/' + t).data[:24] for t, kind in db.execute(
      'SELECT token, kind FROM trials')}
  assert len({v[16:24] for v in sizes.values()}) == 1    # the same PNG width and height


def test_report_by_hand():
  rows = [('a', 'real', 'real', 'real', 'real', 1.0), ('a', 'fake', 'r1', 'fake', 'real', 1.0),
          ('a', 'check', 'check', 'fake', 'fake', 1.0),
          ('b', 'real', 'real', 'real', 'fake', 1.0), ('b', 'fake', 'r1', 'fake', 'fake', 1.0),
          ('c', 'real', 'real', 'real', 'real', 1.0), ('c', 'check', 'check', 'fake', 'real', 1)]
  out = report.summarize(rows)
  assert out['attention_failures'] == 1 and out['failed_raters'] == ['c']
  assert out['all']['hype_inf_error'] == pytest.approx(2 / 4)
  assert out['runs']['r1']['answers'] == 4
  assert out['rater_accuracy'] == {'a': 0.5, 'b': 0.5}


def serve(*args):
  env = dict(os.environ, XLA_FLAGS=xla_flags(1))
  return subprocess.run([sys.executable, '-m', 'experiments.human_eval', *args], cwd=REPO,
                        env=env, capture_output=True, text=True, timeout=300)


def last_line(out):
  assert out.returncode == 2, out.stderr[-2000:]
  return out.stderr.strip().splitlines()[-1]


def test_bad_input_is_one_line(run_dir, tmp_path):
  empty = str(tmp_path / 'empty')
  subprocess.run(['cp', '-r', run_dir, empty], check=True)
  for f in os.listdir(os.path.join(empty, 'samples')):
    os.remove(os.path.join(empty, 'samples', f))
  assert 'has no samples: run its launcher with --mode=sample' in last_line(
      serve('serve', f'--workdir={empty}', '--port=0'))
  broken = str(tmp_path / 'broken')
  subprocess.run(['cp', '-r', run_dir, broken], check=True)
  with open(store.path_in(broken), 'w') as f:
    f.write('not a database')
  line = last_line(serve('serve', f'--workdir={broken}', '--port=0'))
  assert 'is not a human-evaluation database' in line
  with open(store.path_in(broken)) as f:
    assert f.read() == 'not a database'                  # left as it was
  assert 'does not exist: no one has rated' in last_line(serve('report',
                                                              f'--workdir={run_dir}'))
  assert 'usage: python -m experiments.human_eval serve|report' in last_line(
      serve('rate', f'--workdir={run_dir}'))


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path):
  path = str(tmp_path / 'other.sqlite')
  db = sqlite3.connect(path)
  db.execute('CREATE TABLE trials (x)')
  db.commit()
  db.close()
  with pytest.raises(ValueError, match="table 'trials' has columns"):
    store.open_store(path)
  assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall() == [
      ('trials',)]
