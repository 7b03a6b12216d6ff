"""Class-conditional DDPM on MNIST with classifier-free guidance (Ho & Salimans, 2021): the
label is dropped (replaced by a null class) with probability 0.1 in training, and sampling
uses eps = (1 + w) eps(x, y) - w eps(x) with w = 1; 50-step DDIM. Sample grids cycle through
the classes.
  python -m experiments.diffusion --workdir=/tmp/cfg_mnist \
      --config=experiments/configs/diffusion/cfg_mnist.py
  ... --mode=sample --config.model.guidance_scale=3   (stronger guidance)
The paper reports ImageNet 64x64/128x128 only; not yet measured here.
"""
from experiments.configs import default
from experiments.configs.diffusion import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'mnist'
  config.model = common.model_config(
      net='unet', unet=dict(channels=64, channel_mult=(1, 2, 2), attn_resolutions=(14,)),
      class_conditional=True, label_dropout=0.1, guidance_scale=1.0, sampler='ddim',
      sample_steps=50, eval_nll=False)
  common.image_training(config, num_steps=100_000, warmup=1000)
  config.eval.num_examples, config.eval.batch_size = 1000, 100
  return common.apply_image_variant(config, variant)
