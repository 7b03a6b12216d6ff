"""GANs on 16x16 digits at an equal wall-clock budget, scored with the digits classifier's
features.

  python -m benchmarks.gan_budget --root=/tmp/gan_budget --budget_s=240 \
      [--runs=dcgan,sngan,stylegan2,progan,biggan] [--classifier=WORKDIR]

Trains the 16x16 digits classifier (experiments/configs/classifier/digits.py) into
ROOT/classifier unless --classifier names one. Then each run, one after another so that each
has the whole machine: the launcher on its config (overrides in RUNS), its budget counted
from its first log line (step LOG_EVERY, after compiling), SIGTERM when the budget is spent
(the trainer checkpoints the step it reached and exits, as on preemption). Then `python -m
experiments.evaluate --features=domain` scores --num_samples EMA samples against the training
split (FID, KID, precision/recall), and class-conditional runs are also scored for
conditioning (benchmarks/gan_conditioning.py). examples/s: the run's batch over the median
logged step_time_s, leaving out the first interval (it holds the compilation). Prints one
JSON line per run and a Markdown table.
"""
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
from absl import app, flags

from gdm.train import writer

FLAGS = flags.FLAGS
flags.DEFINE_string('root', '/tmp/gan_budget', 'Parent of the runs\' workdirs.')
flags.DEFINE_integer('budget_s', 240, 'Wall-clock seconds of training per run, after compiling.')
flags.DEFINE_list('runs', ['dcgan', 'sngan', 'stylegan2', 'progan', 'biggan'], 'Keys of RUNS.')
flags.DEFINE_string('classifier', '', '16x16 digits classifier workdir; default ROOT/classifier '
                    '(trained when missing).')
flags.DEFINE_integer('num_samples', 1000, 'Samples scored per run.')

CONFIGS = 'experiments/configs'
LOG_EVERY = 20
DIGITS16 = ['--config.data.name=digits', '--config.data.image_size=16',
            '--config.train.num_steps=1000000', '--config.train.eval_every=0',
            '--config.train.sample_every=0', '--config.train.checkpoint_every=1000000',
            f'--config.train.log_every={LOG_EVERY}']
# name -> (config, overrides). DCGAN as in the recorded digits run (RESULTS.md); SNGAN's
# recipe (ResNet, spectral norm, hinge, 5 D steps) at 64 channels for 16x16, no flips (digits
# are not mirror-symmetric); ProGAN's phases shortened to 100 steps so that it reaches 16x16
# within a few minutes' budget; StyleGAN2 and BigGAN as their digits configs are.
RUNS = {
    'dcgan': ('gan/dcgan_mnist.py', ['--config.model.latent_dim=32',
                                     '--config.model.conv.g_channels=(32,64)',
                                     '--config.model.conv.d_channels=(32,64)',
                                     '--config.train.batch_size=64',
                                     '--config.train.ema_decay=0.99']),
    'sngan': ('gan/sngan_cifar10.py', ['--config.data.random_flip=False',
                                       '--config.model.latent_dim=64',
                                       '--config.model.conv.g_channels=(64,64)',
                                       '--config.model.conv.d_channels=(64,64,64,64)',
                                       '--config.train.batch_size=64',
                                       '--config.train.ema_decay=0.99']),
    'stylegan2': ('gan/stylegan2_digits.py', []),
    'progan': ('gan/progan_digits.py', ['--config.model.progan.stable_steps=100',
                                        '--config.model.progan.fade_steps=100']),
    'biggan': ('gan/biggan_digits.py', []),
}


def _python(*args):
  return [sys.executable, '-m', *args]


def _train(name: str, workdir: str, budget_s: float) -> dict:
  """Runs one config until budget_s after its first log line; wall and CPU seconds."""
  config, overrides = RUNS[name]
  cmd = _python('experiments.gan', f'--workdir={workdir}', f'--config={CONFIGS}/{config}',
                *DIGITS16, *overrides)
  start, clock = time.time(), None
  with open(f'{workdir}.log', 'w') as log:
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
  while True:
    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
    if pid:
      break
    if clock is None and os.path.exists(os.path.join(workdir, writer.METRICS_FILE)):
      clock = time.time()
    if clock is not None and time.time() - clock > budget_s and proc.returncode is None:
      proc.send_signal(signal.SIGTERM)
      proc.returncode = -signal.SIGTERM     # sent once
    time.sleep(0.5)
  code = os.waitstatus_to_exitcode(status)
  if code != 0:
    raise RuntimeError(f'{name} exited with {code}: see {workdir}.log')
  return {'wall_s': round(time.time() - start), 'cpu_s': round(usage.ru_utime + usage.ru_stime)}


def _last_step(workdir: str) -> int:
  return max(int(d) for d in os.listdir(os.path.join(workdir, 'checkpoints')) if d.isdigit())


def _examples_per_s(workdir: str) -> float:
  with open(os.path.join(workdir, 'config.json')) as f:
    batch = json.load(f)['train']['batch_size']
  times = [r['step_time_s'] for r in writer.read_metrics(workdir) if 'step_time_s' in r][1:]
  return round(batch / float(np.median(times)), 1) if times else float('nan')


def _json_out(*args) -> dict:
  out = subprocess.run(_python(*args), capture_output=True, text=True, check=True)
  return json.loads(out.stdout.strip().splitlines()[-1])


def _scores(workdir: str, clf: str) -> dict:
  n = FLAGS.num_samples
  scores = _json_out('experiments.evaluate', f'--workdir={workdir}', '--features=domain',
                     f'--domain_classifier={clf}', f'--num_samples={n}',
                     f'--kid_subset_size={n // 2}', '--kid_subsets=20', '--metrics=fid,kid,pr')
  row = {k.split('/')[-1]: round(v, 4) for k, v in scores.items() if k.endswith('_domain')}
  with open(os.path.join(workdir, 'config.json')) as f:
    if json.load(f)['model'].get('conditioning', 'none') != 'none':
      row['class_accuracy'] = _json_out('benchmarks.gan_conditioning', f'--workdir={workdir}',
                                        f'--classifier={clf}', f'--num_samples={n}'
                                        )['sample_class_accuracy']
  return row


def main(argv):
  del argv
  os.makedirs(FLAGS.root, exist_ok=True)
  clf = FLAGS.classifier or os.path.join(FLAGS.root, 'classifier')
  if not os.path.isdir(os.path.join(clf, 'checkpoints')):
    subprocess.run(_python('experiments.classifier', f'--workdir={clf}',
                           f'--config={CONFIGS}/classifier/digits.py',
                           '--config.data.image_size=16'), check=True, stdout=subprocess.DEVNULL)
  rows = []
  for name in FLAGS.runs:
    workdir = os.path.join(FLAGS.root, name)
    clocks = _train(name, workdir, FLAGS.budget_s)
    row = {'run': name, 'budget_s': FLAGS.budget_s, 'steps': _last_step(workdir), **clocks,
           'examples_per_s': _examples_per_s(workdir), **_scores(workdir, clf)}
    print(json.dumps(row), flush=True)
    rows.append(row)
  keys = list(dict.fromkeys(k for r in rows for k in r if k not in ('run', 'budget_s')))
  print('| run | ' + ' | '.join(keys) + ' |')
  print('| --- ' * (len(keys) + 1) + '|')
  for r in rows:
    print(f"| {r['run']} | " + ' | '.join(str(r.get(k, '')) for k in keys) + ' |')


if __name__ == '__main__':
  app.run(main)
