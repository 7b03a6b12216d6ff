"""Super-resolution 16x16 -> 32x32 on CIFAR-10 (in the manner of SR3, Saharia et al., 2021):
a DDPM whose UNet also sees the bicubically upsampled low-resolution image (average-pooled
to 16x16) as three extra input channels; 250-step DDIM sampling.
  python -m experiments.diffusion --workdir=/tmp/sr_cifar10 \
      --config=experiments/configs/diffusion/sr_cifar10.py
  python -m experiments.diffusion --workdir=/tmp/sr_cifar10 \
      --config=experiments/configs/diffusion/sr_cifar10.py --mode=super_resolution
The mode writes low-res / sample / original grids and the per-image MSE of the bicubic
upsampling and of the sample. SR3 reports faces and ImageNet at higher resolutions, not this
setting; not yet measured here.
"""
from experiments.configs import default
from experiments.configs.diffusion import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.data.random_flip = True
  config.model = common.model_config(net='unet', unet=dict(channels=64), low_res_size=16,
                                     sampler='ddim', sample_steps=250, eval_nll=False)
  common.image_training(config, num_steps=200_000)
  config.eval.num_examples, config.eval.batch_size = 1000, 100
  return common.apply_image_variant(config, variant)
