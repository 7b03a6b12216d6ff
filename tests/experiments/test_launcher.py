"""End to end through `python -m experiments.autoencoder`: train, eval, sample, SIGTERM, and
the console a person sees on a pipe and on a terminal."""
import json
import os
import pty
import re
import signal
import subprocess
import time

import numpy as np
from PIL import Image
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from gdm.train.writer import read_metrics
from tests.helpers import REPO, launcher_cmd, run_launcher, xla_flags

SMOKE = '--config=experiments/configs/autoencoder/conv_digits.py:smoke'


def test_train_eval_sample_produce_their_files(tmp_path):
  workdir = str(tmp_path / 'run')
  out = run_launcher('autoencoder', workdir, SMOKE)
  assert out.returncode == 0, out.stderr[-3000:]
  assert 'step 8/8' in out.stderr and 'ETA' in out.stderr
  # On a pipe: one plain line per log and eval step, no logging prefixes, nothing else.
  lines = out.stderr.splitlines()
  assert [line.split(':')[0].split(' [')[0] for line in lines] == [
      'step 4/8', 'eval at step 4', 'step 8/8', 'eval at step 8'], out.stderr
  assert re.match(r'step 4/8 \[#{10}\.{10}\]  50% \| loss \S+ \| \S+ steps/s \| ETA \S+$',
                  lines[0]), lines[0]
  assert sorted(os.listdir(os.path.join(workdir, 'checkpoints'))) == ['4', '8']
  config = json.load(open(os.path.join(workdir, 'config.json')))
  assert config['data']['name'] == 'digits' and config['train']['num_steps'] == 8
  metrics = read_metrics(workdir)
  assert [m['step'] for m in metrics if 'loss' in m] == [4, 8]
  assert {'eval/mse', 'eval/psnr', 'eval/loss'} <= {k for m in metrics for k in m}
  events = EventAccumulator(os.path.join(workdir, 'tensorboard'))
  events.Reload()
  assert [e.step for e in events.Scalars('loss')] == [4, 8]
  assert 'reconstruction' in events.Tags()['images']
  assert events.Images('reconstruction')[-1].height >= 256      # TensorBoard's grid too
  for name in ('reconstruction_8.png', 'samples_8.png'):
    picture = np.asarray(Image.open(os.path.join(workdir, 'samples', name)))
    assert picture.ndim == 2 and picture.max() > 0     # grayscale grid with content
    assert min(picture.shape) >= 256                   # upscaled to a viewable size

  out = run_launcher('autoencoder', workdir, SMOKE, '--mode=eval')
  assert out.returncode == 0, out.stderr[-3000:]
  result = json.loads(out.stdout.strip().splitlines()[-1])
  assert result['step'] == 8 and result['eval/psnr'] > 0
  last = read_metrics(workdir)[-1]
  assert last['step'] == 8 and last['eval/mse'] == result['eval/mse']

  out = run_launcher('autoencoder', workdir, SMOKE, '--mode=sample')
  assert out.returncode == 0, out.stderr[-3000:]
  samples = np.load(os.path.join(workdir, 'samples', 'samples_8.npz'))
  assert samples['x'].shape == (16, 16, 16, 1) and np.isfinite(samples['x']).all()
  assert os.path.exists(os.path.join(workdir, 'samples', 'samples_8.png'))
  out = run_launcher('autoencoder', workdir, SMOKE, '--mode=reconstruct')
  assert out.returncode == 0, out.stderr[-3000:]
  saved = np.load(os.path.join(workdir, 'samples', 'reconstruct_8.npz'))
  assert saved['inputs'].shape == saved['reconstructions'].shape == (16, 16, 16, 1)
  assert os.path.exists(os.path.join(workdir, 'samples', 'reconstruct_8_reconstructions.png'))
  # Training more resumes from step 8 and keeps the first 8 steps' log lines.
  out = run_launcher('autoencoder', workdir, SMOKE, '--config.train.num_steps=12')
  assert out.returncode == 0, out.stderr[-3000:]
  assert [m['step'] for m in read_metrics(workdir) if 'loss' in m] == [4, 8, 12]
  assert os.path.exists(os.path.join(workdir, 'config_step8.json'))


def test_sigterm_saves_a_checkpoint_and_exits_cleanly(tmp_path):
  workdir = str(tmp_path / 'run')
  args = [SMOKE, '--config.train.num_steps=100000', '--config.train.checkpoint_every=100000',
          '--config.train.log_every=1', '--config.train.eval_every=0',
          '--config.train.sample_every=0']
  env = {**os.environ, 'XLA_FLAGS': xla_flags(1)}
  proc = subprocess.Popen(launcher_cmd('autoencoder', workdir, *args), cwd=REPO, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
  deadline = time.time() + 120
  metrics = os.path.join(workdir, 'metrics.jsonl')
  while time.time() < deadline and not (os.path.exists(metrics) and
                                        len(open(metrics).readlines()) >= 3):
    time.sleep(0.2)
  proc.send_signal(signal.SIGTERM)
  _, err = proc.communicate(timeout=120)
  assert proc.returncode == 0, err[-3000:]
  assert 'preempted (SIGTERM): saved step' in err
  saved = [int(d) for d in os.listdir(os.path.join(workdir, 'checkpoints')) if d.isdigit()]
  assert len(saved) == 1 and 3 <= saved[0] < 100000
  assert saved[0] >= max(m['step'] for m in read_metrics(workdir))


def test_on_a_terminal_progress_is_one_line_refreshed_in_place(tmp_path):
  master, slave = pty.openpty()
  env = {**os.environ, 'XLA_FLAGS': xla_flags(1)}
  proc = subprocess.Popen(
      launcher_cmd('autoencoder', str(tmp_path / 'run'), SMOKE, '--config.train.log_every=2',
                   '--config.train.eval_every=8', '--config.train.sample_every=8'),
      cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
  os.close(slave)
  out = b''
  while True:
    try:
      chunk = os.read(master, 4096)
    except OSError:     # EIO once the child has closed the terminal
      break
    if not chunk:
      break
    out += chunk
  os.close(master)
  assert proc.wait(timeout=300) == 0, out.decode()[-3000:]
  lines = out.decode().replace('\r\n', '\n').split('\n')
  # Steps 2, 4 and 6 are overwritten in place on the first line; step 8 ends it.
  assert lines[0].startswith('\rstep 2/8 [') and lines[0].count('\rstep ') == 4, lines[0]
  assert re.search(r'\rstep 8/8 \[#{20}\] 100% \| loss [^|]+ \| [^|]+ steps/s \| ETA 0s'
                   r'\x1b\[K$', lines[0]), lines[0]
  assert lines[1].startswith('eval at step 8: eval/loss=') and lines[2:] == [''], lines
