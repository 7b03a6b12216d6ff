"""GANs on digits at an equal wall-clock budget, scored with domain features.

  python -m benchmarks.gan_budget --budget=170 --classifier=/tmp/clf_digits16 \
      --root=/tmp/gan_budget [--runs=dcgan,sngan,progan,biggan] [--concurrent]

Each run is the launcher on its config (overrides below: digits at 16x16, batch 64), stopped
with SIGTERM after --budget seconds of wall clock (--budget_after_compile: counted from its
first log line, after compiling; the launcher checkpoints and exits, as on preemption), or
earlier when it reaches its num_steps; then `python -m experiments.evaluate
--features=domain` scores 1000 EMA samples against the training split (FID, KID,
precision/recall). --concurrent starts every run at once, so that they share the machine's
load alike; the CPU seconds each used are reported beside the wall clock, and examples/s of
the train step: batch / the median of the run's logged step_time_s (metrics.jsonl, every 20
steps), leaving out the first interval, which holds the compilation. Prints a Markdown table
and one JSON line per run.
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
flags.DEFINE_integer('budget', 170, 'Wall-clock seconds of training per run.')
flags.DEFINE_string('classifier', None, 'Domain classifier workdir (16x16 digits).',
                    required=True)
flags.DEFINE_string('root', '/tmp/gan_budget', 'Parent of the runs\' workdirs.')
flags.DEFINE_list('runs', ['dcgan', 'sngan', 'progan', 'biggan'], 'Runs (keys of RUNS).')
flags.DEFINE_bool('concurrent', True, 'Start every run at once.')
flags.DEFINE_integer('num_samples', 1000, 'Samples scored per run.')
flags.DEFINE_bool('budget_after_compile', False, 'Start each budget at the run\'s first log '
                  'line, after compilation (on a loaded machine compiling takes minutes).')

DIGITS16 = ['--config.data.name=digits', '--config.data.image_size=16',
            '--config.train.batch_size=64', '--config.train.eval_every=0',
            '--config.train.sample_every=0', '--config.train.checkpoint_every=100000',
            '--config.train.log_every=20']
BATCH = 64
# name -> (config, overrides): DCGAN as in the recorded digits run (RESULTS.md), SNGAN's
# ResNets at digits size with its hinge loss, 5 critic steps and spectral norm.
RUNS = {
    'dcgan': ('gan/dcgan_mnist.py', ['--config.model.conv.g_channels=(32,64)',
                                     '--config.model.conv.d_channels=(32,64)',
                                     '--config.model.latent_dim=32',
                                     '--config.train.ema_decay=0.99',
                                     '--config.train.num_steps=100000']),
    'sngan': ('gan/sngan_cifar10.py', ['--config.data.random_flip=False',
                                       '--config.model.conv.g_channels=(64,64)',
                                       '--config.model.conv.d_channels=(64,64,64,64)',
                                       '--config.model.latent_dim=64',
                                       '--config.train.ema_decay=0.999',
                                       '--config.train.num_steps=3000']),
    'progan': ('gan/progan_digits.py', []),
    'biggan': ('gan/biggan_digits.py', ['--config.train.num_steps=100000']),
}


def _launch(name: str):
  config, overrides = RUNS[name]
  workdir = os.path.join(FLAGS.root, name)
  cmd = [sys.executable, '-m', 'experiments.gan', f'--workdir={workdir}',
         f'--config=experiments/configs/{config}', *DIGITS16, *overrides]
  log = open(os.path.join(FLAGS.root, f'{name}.log'), 'w')
  return workdir, cmd, subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)


def _wait(runs: list) -> list:
  """Polls every (name, workdir, proc, start) at once, SIGTERM at each one's budget; one
  (exit code, wall s, CPU s) per run. With --budget_after_compile a budget starts at the
  run's first log line (step 20)."""
  clocks = [None if FLAGS.budget_after_compile else start for _, _, _, start in runs]
  done = [None] * len(runs)
  while None in done:
    for i, (_, workdir, proc, start) in enumerate(runs):
      if done[i] is not None:
        continue
      pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
      if pid:
        done[i] = (os.waitstatus_to_exitcode(status), time.time() - start,
                   usage.ru_utime + usage.ru_stime)
        continue
      if clocks[i] is None and os.path.exists(os.path.join(workdir, writer.METRICS_FILE)):
        clocks[i] = time.time()
      if (clocks[i] is not None and time.time() - clocks[i] > FLAGS.budget
          and not getattr(proc, 'termed', False)):
        proc.send_signal(signal.SIGTERM)
        proc.termed = True
    time.sleep(1.0)
  return done


def _last_step(workdir: str) -> int:
  steps = [int(d) for d in os.listdir(os.path.join(workdir, 'checkpoints')) if d.isdigit()]
  return max(steps)


def _examples_per_s(workdir: str) -> float:
  times = [r['step_time_s'] for r in writer.read_metrics(workdir) if 'step_time_s' in r][1:]
  return BATCH / float(np.median(times)) if times else float('nan')


def _evaluate(workdir: str) -> dict:
  out = subprocess.run(
      [sys.executable, '-m', 'experiments.evaluate', f'--workdir={workdir}', '--features=domain',
       f'--domain_classifier={FLAGS.classifier}', f'--num_samples={FLAGS.num_samples}',
       '--kid_subset_size=500', '--kid_subsets=20', '--metrics=fid,kid,pr'],
      capture_output=True, text=True, check=True)
  return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv):
  del argv
  os.makedirs(FLAGS.root, exist_ok=True)
  results = []
  for name in FLAGS.runs:
    workdir, _, proc = _launch(name)
    run = (name, workdir, proc, time.time())
    if not FLAGS.concurrent:
      results += [(name, workdir, *_wait([run]))]
    else:
      results.append(run)
  if FLAGS.concurrent:
    results = [(name, workdir, out) for (name, workdir, _, _), out in
               zip(results, _wait(results))]
  print('| run | steps | wall s | CPU s | examples/s | fid_domain | kid_domain | precision | '
        'recall |')
  print('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  rows = []
  for name, workdir, (code, wall, cpu) in results:
    if code != 0:
      raise RuntimeError(f'{name} exited with {code}: see {FLAGS.root}/{name}.log')
    scores = _evaluate(workdir)
    row = {'run': name, 'steps': _last_step(workdir), 'wall_s': round(wall), 'cpu_s': round(cpu),
           'examples_per_s': _examples_per_s(workdir),
           **{k: v for k, v in scores.items() if k.startswith('eval/')}}
    rows.append(row)
    print(f"| {name} | {row['steps']} | {row['wall_s']} | {row['cpu_s']} | "
          f"{row['examples_per_s']:.1f} | "
          f"{row['eval/fid_domain']:.2f} | {row['eval/kid_domain']:.4g} | "
          f"{row['eval/precision_domain']:.3f} | {row['eval/recall_domain']:.3f} |", flush=True)
  for row in rows:
    print(json.dumps(row))


if __name__ == '__main__':
  app.run(main)
