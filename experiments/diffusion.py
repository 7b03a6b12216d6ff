"""Diffusion and score-based models (DDPM, DDIM, NCSN, score SDEs, guidance).

  python -m experiments.diffusion --workdir=/tmp/ddpm_toy
  python -m experiments.diffusion --workdir=/tmp/ddpm_toy --mode=sample   (the sampler and
      its steps from config.model.sampler / sample_steps)
  python -m experiments.diffusion --workdir=/tmp/ddpm_toy --mode=inpaint  (or denoise;
      super_resolution for a model with model.low_res_size > 0)
  python -m experiments.diffusion --workdir=/tmp/ddpm_cifar10 \
      --config=experiments/configs/diffusion/ddpm_cifar10.py
"""
from experiments import launch

launch.define_flags('diffusion/ddpm_toy.py')

if __name__ == '__main__':
  launch.main('diffusion')
