"""DDPM on CIFAR-10 (Ho et al., 2020): the 35.7M-parameter UNet, L_simple with
eps-prediction, linear betas 1e-4..0.02 over T = 1000, Adam lr 2e-4 with 5000 warmup steps,
batch 128, gradient clipping at 1, EMA 0.9999, random flips, dropout 0.1, 800k steps.
  python -m experiments.diffusion --workdir=/tmp/ddpm_cifar10 \
      --config=experiments/configs/diffusion/ddpm_cifar10.py
  python -m experiments.evaluate --workdir=/tmp/ddpm_cifar10 --metrics=fid,is \
      --num_samples=50000 --inception_weights=inception.npz
Paper (Ho et al., 2020, Table 1, L_simple): FID 3.17, IS 9.46, NLL <= 3.75 bits/dim on the
test set (eval/bpd here: the full variational bound with the discretized decoder, every t;
the paper's number is over the whole test set: --config.eval.num_examples=0). Samples use the
ancestral sampler with sigma_t^2 = beta_t (fixed_large), as the paper's FID. Not yet measured
here.
"""
from experiments.configs import default
from experiments.configs.diffusion import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.data.random_flip = True
  config.model = common.model_config(net='unet')
  common.image_training(config, num_steps=800_000)
  config.eval.num_examples, config.eval.batch_size = 1000, 100
  return common.apply_image_variant(config, variant, two_levels=True)
