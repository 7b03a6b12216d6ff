"""MADE on the 2-D eight-Gaussians toy with a mixture of 10 Gaussians per coordinate
(p(x1) p(x2 | x1)); --config.model.net=nade gives RNADE (Uria et al., 2013).
  python -m experiments.autoregressive --workdir=/tmp/made_toy \
      --config=experiments/configs/autoregressive/made_eight_gaussians.py
eval/nll is a density in nats (no bpd). Reference: the toy's entropy, 2.83 nats (Monte Carlo
over gdm/data/toy.py's mixture), bounds it from below. Measured here (CPU, 3000 steps, about
2 min): eval/nll 3.44 nats.
"""
from experiments.configs import default
from experiments.configs.autoregressive import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'eight_gaussians'
  config.model = common.model_config(net='made', likelihood='gaussian_mixture',
                                     made=dict(hidden=(128, 128)), num_mixtures=10)
  default.set_schedule(config, num_steps=3000, batch_size=256, log_every=200, every=1000)
  config.sample.num_samples = 1024
  return common.apply_variant(config, variant, smoke_image_size=0)
