"""NCSN (Song & Ermon, 2019) on the 2-D eight-Gaussians toy: an MLP noise-conditional score
network trained with the sigma^2-weighted multi-sigma DSM loss over 10 geometric sigmas from
10 (about the data's diameter, the paper's technique 1) to 0.01, sampled with annealed
Langevin dynamics (100 steps per sigma, eps = 2e-5) and a final denoising step.
  python -m experiments.diffusion --workdir=/tmp/ncsn_toy \
      --config=experiments/configs/diffusion/ncsn_toy.py
No paper number (the paper's toy results are pictures); not yet measured here.
"""
from experiments.configs import default
from experiments.configs.diffusion import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'eight_gaussians'
  config.model = common.model_config(process='ncsn', net='mlp', mlp=dict(hidden=(128, 128, 128)),
                                     ncsn=dict(sigma_max=10.0, sigma_min=0.01, num_sigmas=10),
                                     sampler='langevin', langevin=dict(steps=100, lr=2e-5))
  default.set_schedule(config, num_steps=5000, batch_size=256, log_every=250, every=2500)
  config.sample.num_samples = 1024
  return default.apply_variant(config, variant, smoke=common.smoke(config.model))
