"""Energy-based models: contrastive divergence with SGLD, replay buffer or short-run chains.

  python -m experiments.ebm --workdir=/tmp/ebm
  python -m experiments.ebm --workdir=/tmp/ebm --mode=ood       (or denoise, inpaint;
      conditional for a class-conditional EBM)
  python -m experiments.ebm --workdir=/tmp/ebm_cifar10 \
      --config=experiments/configs/ebm/cifar10.py
"""
from experiments import launch

launch.define_flags('ebm/toy.py')

if __name__ == '__main__':
  launch.main('ebm')
