"""Normalizing flows (NICE, RealNVP, Glow, MAF/IAF, continuous flows).

  python -m experiments.flow --workdir=/tmp/flow
  python -m experiments.flow --workdir=/tmp/flow --mode=eval   (eval/nll, eval/bpd)
  python -m experiments.flow --workdir=/tmp/flow --mode=anomaly   (or interpolate,
      temperature)
  python -m experiments.flow --workdir=/tmp/glow \
      --config=experiments/configs/flow/glow_cifar10.py
"""
from experiments import launch

launch.define_flags('flow/realnvp_moons.py')

if __name__ == '__main__':
  launch.main('flow')
