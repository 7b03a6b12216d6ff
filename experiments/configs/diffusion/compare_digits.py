"""DDPM on the 8-bit 8x8 digits (pixels in [-1, 1]): the diffusion model of
`python -m experiments.compare`. A small UNet (32 channels x (1, 2), no attention), T = 200
linear steps (the betas scaled by 1000 / T, as gdm.diffusion.schedules does), L_simple;
eval/bpd is the full variational bound with the discretized decoder (Ho et al., 2020, eq. 5),
a bound on the 8-bit NLL; samples are ancestral over all T steps.
  python -m experiments.diffusion --workdir=/tmp/ddpm_compare \
      --config=experiments/configs/diffusion/compare_digits.py
No paper number (no paper has this dataset); the compare's measured row is in the README's
"One table across families".
"""
from experiments.configs import default, digits_compare
from experiments.configs.diffusion import common


def get_config(variant: str = ''):
  config = digits_compare.setup(default.get_config(), num_steps=5000)
  config.model = common.model_config(
      net='unet', unet=dict(channels=32, channel_mult=(1, 2), num_res_blocks=1,
                            attn_resolutions=(), dropout=0.0),
      ddpm=dict(num_timesteps=200), sample_steps=200)
  opt = config.train.optimizer
  opt.learning_rate, opt.clip_norm = 1e-3, 1.0
  default.apply_variant(config, variant, smoke=common.smoke(config.model))
  if variant == 'smoke':
    config.model.unet.channel_mult = (1,)   # one level: the smoke run compiles in seconds
  return config
