"""Makes the pictures in the README: each is the PNG one command writes, from a real short
run on embedded data (no download).

  python docs/make_pictures.py                      # all of them into docs/pictures/
  python docs/make_pictures.py --only=gan,vae       # some of them
  python docs/make_pictures.py --smoke --out=DIR    # every run's :smoke variant (seconds)

Each job runs in a fresh temporary workdir (the README shows it as /tmp/NAME) and takes the
newest picture of its kind; the copy is re-encoded with PNG's slowest setting, lossless.
"""
import argparse
import dataclasses
import glob
import os
import re
import subprocess
import sys
import tempfile

from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PICTURES = os.path.join(REPO, 'docs', 'pictures')


@dataclasses.dataclass(frozen=True)
class Job:
  name: str                  # docs/pictures/NAME.png
  family: str
  config: str = ''           # under experiments/configs/; '' = the launcher's default
  flags: tuple[str, ...] = ()   # full runs only (a smoke run keeps its own length)
  mode: str = ''             # then also `--mode=MODE` on the trained run
  picture: str = 'samples'   # samples/PICTURE_<step>.png (the newest step)
  workdir: str = ''          # the README's /tmp/WORKDIR

  def commands(self, workdir: str, smoke: bool = False) -> list[list[str]]:
    train = ['python', '-m', f'experiments.{self.family}', f'--workdir={workdir}']
    if self.config or smoke:
      train.append(f'--config=experiments/configs/{self.config or DEFAULTS[self.family]}'
                   + (':smoke' if smoke else ''))
    if not smoke:
      train += self.flags
    return [train] + ([train + [f'--mode={self.mode}']] if self.mode else [])


DEFAULTS = {'autoencoder': 'autoencoder/conv_digits.py', 'vae': 'vae/mlp_digits.py',
            'vqvae': 'vqvae/digits.py', 'gan': 'gan/mlp_eight_gaussians.py',
            'diffusion': 'diffusion/ddpm_toy.py', 'flow': 'flow/realnvp_moons.py',
            'autoregressive': 'autoregressive/pixelcnn_digits.py', 'ebm': 'ebm/toy.py',
            'classifier': 'classifier/digits.py'}

JOBS = (
    Job('autoencoder', 'autoencoder', picture='reconstruction', workdir='gdm_ae'),
    Job('vae', 'vae', flags=('--config.train.num_steps=2500',), workdir='vae_digits'),
    Job('vqvae', 'vqvae', 'vqvae/digits.py', picture='reconstruction',
        workdir='vqvae_digits'),
    Job('gan', 'gan', workdir='gan_8g'),
    Job('diffusion', 'diffusion', workdir='ddpm_toy'),
    Job('flow', 'flow', 'flow/realnvp_moons.py', ('--config.sample.num_samples=1024',),
        workdir='flow_moons'),
    Job('autoregressive', 'autoregressive', 'autoregressive/pixelcnn_digits.py',
        workdir='ar_digits'),
    Job('ebm', 'ebm', flags=('--config.sample.num_samples=1024',), workdir='ebm_toy'),
    Job('classifier', 'classifier', 'classifier/digits.py', mode='features',
        picture='features_*_by_class', workdir='clf_digits'),
)


def newest(workdir: str, picture: str) -> str:
  """samples/PICTURE_<step>.png with the highest step (a '*' in PICTURE: the step)."""
  pattern = picture + '.png' if '*' in picture else f'{picture}_*.png'
  found = glob.glob(os.path.join(workdir, 'samples', pattern))
  steps = {int(re.findall(r'_(\d+)', os.path.basename(p))[0]): p for p in found}
  if not steps:
    raise SystemExit(f'no samples/{picture}_*.png in {workdir}')
  return steps[max(steps)]


def make(job: Job, out_dir: str, smoke: bool = False) -> str:
  """Runs `job` in a fresh workdir and copies its picture to OUT_DIR/NAME.png."""
  with tempfile.TemporaryDirectory(prefix=f'gdm_{job.name}_') as root:
    workdir = os.path.join(root, job.workdir or job.name)
    for command in job.commands(workdir, smoke):
      print('+', ' '.join(command), flush=True)
      subprocess.run([sys.executable] + command[1:], cwd=REPO, check=True)
    source = newest(workdir, job.picture)
    os.makedirs(out_dir, exist_ok=True)
    target = os.path.join(out_dir, f'{job.name}.png')
    Image.open(source).save(target, format='PNG', optimize=True)
  print(f'{target}: {os.path.getsize(target)} bytes', flush=True)
  return target


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument('--only', default='', help='comma-separated job names')
  parser.add_argument('--smoke', action='store_true', help="the configs' :smoke variants")
  parser.add_argument('--out', default=PICTURES, help='where the PNGs go')
  args = parser.parse_args(argv)
  names = [n for n in args.only.split(',') if n] or [job.name for job in JOBS]
  jobs = {job.name: job for job in JOBS}
  unknown = sorted(set(names) - set(jobs))
  if unknown:
    parser.error(f'unknown job(s) {unknown}; choose from {", ".join(jobs)}')
  for name in names:
    make(jobs[name], args.out, args.smoke)


if __name__ == '__main__':
  main()
