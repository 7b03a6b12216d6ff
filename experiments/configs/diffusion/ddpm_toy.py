"""DDPM (L_simple, eps-prediction, linear schedule, T = 1000) with an MLP noise network on
the 2-D eight-Gaussians toy (no download): the default of `python -m experiments.diffusion`.
  python -m experiments.diffusion --workdir=/tmp/ddpm_toy
  python -m experiments.diffusion --workdir=/tmp/ddpm_toy --mode=sample   (ancestral, 1000)
  python -m experiments.diffusion --workdir=/tmp/ddpm_toy --mode=inpaint  (or denoise)
eval/nll is the full variational bound in nats (a density on R^2, no bits/dim). No paper
number for this toy; the data's mixture has 8 modes of std 0.35.
"""
from experiments.configs import default
from experiments.configs.diffusion import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'eight_gaussians'
  config.model = common.model_config(net='mlp', mlp=dict(hidden=(128, 128, 128)),
                                     inpaint_mask='right')
  default.set_schedule(config, num_steps=5000, batch_size=256, log_every=250, every=2500)
  config.train.optimizer.learning_rate = 1e-3
  config.train.ema_decay = 0.999
  config.sample.num_samples = 1024
  return default.apply_variant(config, variant, smoke=common.smoke(config.model))
