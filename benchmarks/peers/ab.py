"""gdm against the PyTorch code a user would pick instead, A/B interleaved in one run, and the
ratio table (gdm / peer, > 1 = gdm faster).

  python -m benchmarks.peers.ab --peer_python=PEERS/bin/python [--rounds=3]

Each round runs every workload once on each side, alternating, each in a fresh process (so
both sides see the same machine state, and neither gains from the other's warm caches);
the table gives the median over rounds. Workloads: the DDPM UNet train step at channels
32 (batch 8 and 32) and at the paper's 128 (batch 8), DDIM-50 sampling, FID Inception-v3
features at batch 50. torch runs with --threads (2: this machine's cores); XLA uses every
core by itself.
"""
import json
import statistics
import subprocess
import sys

from absl import app, flags

FLAGS = flags.FLAGS
flags.DEFINE_string('peer_python', '', 'Python of the peers virtualenv (requirements.txt).')
flags.DEFINE_integer('rounds', 3, 'A/B rounds.')
flags.DEFINE_integer('repeats', 3, 'Timed calls per measurement.')
flags.DEFINE_integer('threads', 2, 'torch threads.')
flags.DEFINE_list('only', [], 'Run only these workload names.')

WORKLOADS = [   # (name, work, args, unit)
    ('DDPM UNet train step, ch 32, batch 8', 'unet_train', ['--channels=32', '--batch=8'],
     'examples_per_s'),
    ('DDPM UNet train step, ch 32, batch 32', 'unet_train', ['--channels=32', '--batch=32'],
     'examples_per_s'),
    ('DDPM UNet train step, ch 128 (paper), batch 8', 'unet_train',
     ['--channels=128', '--batch=8'], 'examples_per_s'),
    ('DDIM-50 sampling, ch 32, batch 8', 'ddim50', ['--channels=32', '--batch=8'],
     'images_per_s'),
    ('FID Inception features, batch 50, 32x32 -> 299', 'inception', ['--batch=50'],
     'images_per_s'),
]


def _run(cmd) -> dict:
  out = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
  if out.returncode:
    raise RuntimeError(f'{" ".join(cmd)} failed: {out.stderr.strip().splitlines()[-1:]}')
  return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv):
  del argv
  if not FLAGS.peer_python:
    sys.exit('error: --peer_python=PATH (the peers virtualenv: benchmarks/peers/README.md)')
  results = {name: {'gdm': [], 'torch': []} for name, *_ in WORKLOADS}
  chosen = [w for w in WORKLOADS if not FLAGS.only or w[0] in FLAGS.only]
  for r in range(FLAGS.rounds):
    for name, work, args, unit in chosen:
      common = [work, *args, f'--repeats={FLAGS.repeats}']
      sides = [('gdm', [sys.executable, '-m', 'benchmarks.peers.gdm_side', *common]),
               ('torch', [FLAGS.peer_python, 'benchmarks/peers/torch_side.py', *common,
                          f'--threads={FLAGS.threads}'])]
      for side, cmd in (sides if r % 2 == 0 else sides[::-1]):
        results[name][side].append(_run(cmd)[unit])
      print(json.dumps({'round': r, 'work': name, **{s: v[-1] for s, v in results[name].items()}}),
            flush=True)
  print('| work | gdm | peer | gdm / peer |')
  print('| --- | --- | --- | --- |')
  for name, work, args, unit in chosen:
    g, t = (statistics.median(results[name][s]) for s in ('gdm', 'torch'))
    print(f'| {name} | {g:.3g} {unit.split("_")[0]}/s | {t:.3g} | {g / t:.2f} |')


if __name__ == '__main__':
  app.run(main)
