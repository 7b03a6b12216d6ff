"""NCSN on MNIST (Song & Ermon, 2019, section 5): 10 geometric sigmas from 1 to 0.01,
sigma^2-weighted DSM, annealed Langevin with T = 100 steps per sigma and eps = 2e-5, data in
[0, 1], Adam lr 1e-3, batch 128, 200k steps. The paper's network is a RefineNet with
conditional instance norm; this config uses the DDPM UNet conditioned on the sigma index.
  python -m experiments.diffusion --workdir=/tmp/ncsn_mnist \
      --config=experiments/configs/diffusion/ncsn_mnist.py
The paper reports MNIST samples only (its numbers are CIFAR-10: IS 8.87, FID 25.32); not yet
measured here.
"""
from experiments.configs import default
from experiments.configs.diffusion import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'mnist'
  config.data.scale = 'zero_one'
  config.model = common.model_config(
      process='ncsn', net='unet',
      unet=dict(channels=64, channel_mult=(1, 2, 2), attn_resolutions=(14,), dropout=0.0),
      ncsn=dict(sigma_max=1.0, sigma_min=0.01, num_sigmas=10),
      sampler='langevin', langevin=dict(steps=100, lr=2e-5), eval_nll=False)
  default.set_schedule(config, num_steps=200_000, batch_size=128, log_every=1000,
                       every=20_000)
  config.train.optimizer.learning_rate = 1e-3
  config.train.ema_decay = 0.999
  return common.apply_image_variant(config, variant)
