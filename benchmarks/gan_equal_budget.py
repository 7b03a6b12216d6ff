"""GANs on digits at an equal wall-clock budget, scored with the digits classifier's features.

  python -m benchmarks.gan_equal_budget --out=/tmp/budget --budget_s=900 --image_size=16

Trains a 16x16 digits classifier (experiments/configs/classifier/digits.py) once for the
features, then every RUNS entry at the same time (so the runs share the machine's load
alike): each is paused at its first logged step until all have compiled, then all train
for the same `budget_s` seconds of wall clock (SIGTERM then: the trainer saves a
checkpoint at the step it reached and stops); then `python -m experiments.evaluate --features=domain`
on each (FID / KID / precision / recall of 1000 EMA samples against the training split).
Prints one JSON line per run (steps reached, metrics) and a Markdown table.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

from absl import app, flags

FLAGS = flags.FLAGS
flags.DEFINE_string('out', '/tmp/gan_equal_budget', 'Folder for the workdirs.')
flags.DEFINE_integer('budget_s', 900, 'Wall-clock seconds of training per run.')
flags.DEFINE_integer('image_size', 16, 'Digits resized to this size (the classifier too).')
flags.DEFINE_integer('num_samples', 1000, 'Samples scored per run.')

CONFIGS = 'experiments/configs'
LOG_EVERY = 10
STEP_LINE = re.compile(r'\bstep \d+/\d+ \|')
# name -> (config, overrides); the DCGAN row is RESULTS.md's DCGAN-on-digits setting.
RUNS = {
    'dcgan': (f'{CONFIGS}/gan/dcgan_mnist.py',
              ['--config.data.name=digits', '--config.model.latent_dim=32',
               '--config.model.conv.g_channels=(32,64)', '--config.model.conv.d_channels=(32,64)',
               '--config.train.batch_size=64', '--config.train.ema_decay=0.99']),
    # SNGAN's recipe (ResNet, spectral norm, hinge, 5 D steps) at 64 channels for 16x16; no
    # flips (digits are not mirror-symmetric).
    'sngan': (f'{CONFIGS}/gan/sngan_cifar10.py',
              ['--config.data.name=digits', '--config.data.random_flip=False',
               '--config.model.conv.g_channels=(64,64)',
               '--config.model.conv.d_channels=(64,64,64,64)', '--config.train.ema_decay=0.99']),
    'stylegan2': (f'{CONFIGS}/gan/stylegan2_digits.py', []),
}


def _python(*args):
  return [sys.executable, '-m', *args]


def _train_all(out: str, size: int, budget_s: int) -> dict:
  procs = {}
  for name, (config, extra) in RUNS.items():
    cmd = _python('experiments.gan', f'--workdir={out}/{name}', f'--config={config}',
                  f'--config.data.image_size={size}', '--config.train.num_steps=1000000',
                  '--config.train.checkpoint_every=1000000', '--config.train.eval_every=0',
                  '--config.train.sample_every=0', f'--config.train.log_every={LOG_EVERY}',
                  *extra)
    procs[name] = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                   stderr=open(f'{out}/{name}.log', 'w'))
  # A run is paused (SIGSTOP) at its first logged step until every run has compiled, then
  # all resume together and train the same `budget_s` of wall clock on the same load;
  # start-up and compilation (minutes on a loaded machine) are not counted.
  paused = set()
  while len(paused) < len(procs):
    time.sleep(0.5)
    for name, p in procs.items():
      if p.poll() is not None:
        raise RuntimeError(f'{name} exited with {p.returncode}: see {out}/{name}.log')
      if name not in paused and STEP_LINE.search(open(f'{out}/{name}.log').read()):
        p.send_signal(signal.SIGSTOP)
        paused.add(name)
  for p in procs.values():
    p.send_signal(signal.SIGCONT)
  time.sleep(budget_s)
  for p in procs.values():
    p.send_signal(signal.SIGTERM)     # the trainer saves the step it reached and stops
  for p in procs.values():
    p.wait()
  return {name: _last_step(f'{out}/{name}') for name in RUNS}


def _last_step(workdir: str) -> int:
  steps = [int(d) for d in os.listdir(f'{workdir}/checkpoints') if d.isdigit()]
  return max(steps) if steps else 0


def _evaluate(workdir: str, clf: str, num: int) -> dict:
  subprocess.run(_python('experiments.evaluate', f'--workdir={workdir}', '--features=domain',
                         f'--domain_classifier={clf}', f'--num_samples={num}',
                         '--metrics=fid,kid,pr', f'--kid_subset_size={num // 2}',
                         '--kid_subsets=20'), check=True, stdout=subprocess.DEVNULL)
  with open(f'{workdir}/metrics.jsonl') as f:
    last = [json.loads(line) for line in f][-1]
  return {k: v for k, v in last.items() if k.endswith('_domain')}


def main(argv):
  del argv
  out, size = FLAGS.out, FLAGS.image_size
  os.makedirs(out, exist_ok=True)
  clf = f'{out}/classifier'
  if not os.path.isdir(f'{clf}/checkpoints'):
    subprocess.run(_python('experiments.classifier', f'--workdir={clf}',
                           f'--config={CONFIGS}/classifier/digits.py',
                           f'--config.data.image_size={size}'), check=True,
                   stdout=subprocess.DEVNULL)
  steps = _train_all(out, size, FLAGS.budget_s)
  rows = []
  for name in RUNS:
    row = {'run': name, 'budget_s': FLAGS.budget_s, 'steps': steps[name],
           **_evaluate(f'{out}/{name}', clf, FLAGS.num_samples)}
    print(json.dumps(row), flush=True)
    rows.append(row)
  keys = [k for k in rows[0] if k.endswith('_domain')]
  print('| run | steps | ' + ' | '.join(keys) + ' |')
  print('| --- ' * (len(keys) + 2) + '|')
  for r in rows:
    print(f"| {r['run']} | {r['steps']} | " + ' | '.join(f'{r[k]:.4g}' for k in keys) + ' |')


if __name__ == '__main__':
  app.run(main)
