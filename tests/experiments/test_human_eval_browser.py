"""End to end in a real browser: headless Chromium (Debian's, installed by .ci/run) driven by
selenium through a whole rating session against the real launcher; then the database rows,
the report and a screenshot of the rating page."""
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest
from PIL import Image

from experiments.human_eval import store
from gdm.train.writer import read_metrics
from tests.experiments.human_eval_run import trained_run
from tests.helpers import REPO, xla_flags

CHROME, DRIVER = shutil.which('chromium'), shutil.which('chromedriver')
pytestmark = pytest.mark.skipif(not (CHROME and DRIVER), reason='needs Debian chromium and '
                                'chromium-driver (.ci/run installs them)')


def free_port() -> int:
  with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    return s.getsockname()[1]


def browser():
  from selenium import webdriver
  from selenium.webdriver.chrome.service import Service
  options = webdriver.ChromeOptions()
  options.binary_location = CHROME
  for flag in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
               '--no-first-run', '--disable-background-networking', '--disable-sync',
               '--disable-component-update', '--window-size=800,700'):
    options.add_argument(flag)
  return webdriver.Chrome(service=Service(DRIVER), options=options)


@pytest.fixture
def server(tmp_path_factory):
  workdir = trained_run(tmp_path_factory)
  port = free_port()
  env = dict(os.environ, XLA_FLAGS=xla_flags(1))
  proc = subprocess.Popen([sys.executable, '-m', 'experiments.human_eval', 'serve',
                           f'--workdir={workdir}', f'--port={port}', '--per_kind=3',
                           '--checks=1', '--exposure_ms=0'], cwd=REPO, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
  deadline = time.time() + 180
  while time.time() < deadline:
    with socket.socket() as s:
      if s.connect_ex(('127.0.0.1', port)) == 0:
        break
    assert proc.poll() is None, proc.stdout.read()
    time.sleep(0.3)
  yield workdir, f'http://127.0.0.1:{port}'
  proc.terminate()
  proc.wait(timeout=30)


def test_a_full_rating_session_in_chromium(server, tmp_path):
  from selenium.webdriver.common.by import By
  from selenium.webdriver.support import expected_conditions as ec
  from selenium.webdriver.support.ui import WebDriverWait
  workdir, url = server
  db = sqlite3.connect(store.path_in(workdir))
  driver = browser()
  try:
    driver.get(url + '/')
    assert 'Real or generated?' in driver.page_source and 'R</b> = real' in driver.page_source
    driver.find_element(By.ID, 'rater').send_keys('alice')
    driver.find_element(By.ID, 'start').click()
    answered = 0
    while True:
      WebDriverWait(driver, 30).until(
          lambda d: d.find_elements(By.ID, 'done') or d.find_elements(By.ID, 'stimulus'))
      if driver.find_elements(By.ID, 'done'):
        break
      WebDriverWait(driver, 30).until(lambda d: d.execute_script(
          "var i = document.getElementById('stimulus'); return i.complete && i.naturalWidth"))
      page = driver.page_source
      assert 'samples' not in page and 'real/' not in page and '.npz' not in page
      if answered == 0:
        driver.save_screenshot(str(tmp_path / 'rating.png'))
      token = driver.find_element(By.NAME, 'token').get_attribute('value')
      kind = db.execute('SELECT kind FROM trials WHERE token=?', (token,)).fetchone()[0]
      key = 'f' if kind == 'check' or answered % 2 else 'r'     # a key press, as a rater
      old = driver.find_element(By.ID, 'answer')
      driver.find_element(By.TAG_NAME, 'body').send_keys(key)
      WebDriverWait(driver, 30).until(ec.staleness_of(old))
      answered += 1
  finally:
    driver.quit()
  assert answered == 3 + 3 + 1
  rows = db.execute('SELECT rater, truth, answer, response_ms FROM answers').fetchall()
  assert len(rows) == 7 and {r[0] for r in rows} == {'alice'}
  assert all(r[3] > 0 for r in rows)
  shot = np.asarray(Image.open(tmp_path / 'rating.png').convert('L'))
  assert shot.shape[0] > 300 and shot.std() > 10       # a page with an image, not a blank

  out = subprocess.run([sys.executable, '-m', 'experiments.human_eval', 'report',
                        f'--workdir={workdir}'], cwd=REPO, capture_output=True, text=True,
                       env=dict(os.environ, XLA_FLAGS=xla_flags(1)), timeout=300)
  assert out.returncode == 0, out.stderr[-2000:]
  summary = json.loads(out.stdout)
  scored = [(t, a) for (t, a) in db.execute(
      "SELECT a.truth, a.answer FROM answers a JOIN trials t ON t.token=a.token "
      "WHERE t.kind != 'check'")]
  want = np.mean([t != a for t, a in scored])
  assert summary['all']['hype_inf_error'] == pytest.approx(want)
  assert summary['attention_failures'] == 0 and summary['raters'] == 1
  logged = [m for m in read_metrics(workdir) if 'human/hype_inf_error' in m]
  assert logged and logged[-1]['human/hype_inf_error'] == pytest.approx(want)
