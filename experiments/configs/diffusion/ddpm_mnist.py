"""DDPM on MNIST (tfds): Ho et al.'s recipe with a smaller UNet for 28x28 (channels 64 x
(1, 2, 2), attention at 14x14), T = 1000 linear, L_simple, 100k steps.
  python -m experiments.diffusion --workdir=/tmp/ddpm_mnist \
      --config=experiments/configs/diffusion/ddpm_mnist.py
eval/bpd is the full variational bound (discretized decoder) in bits/dim. Ho et al. report no
MNIST number; not yet measured here.
"""
from experiments.configs import default
from experiments.configs.diffusion import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'mnist'
  config.model = common.model_config(
      net='unet', unet=dict(channels=64, channel_mult=(1, 2, 2), attn_resolutions=(14,)))
  common.image_training(config, num_steps=100_000, warmup=1000)
  config.eval.num_examples, config.eval.batch_size = 1000, 100
  return common.apply_image_variant(config, variant)
