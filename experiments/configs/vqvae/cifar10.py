"""VQ-VAE on CIFAR-10 as in van den Oord et al. (2017), section 4.1 (tfds; downloads).

K=512 codes of dimension D=64 on an 8x8 latent map, beta=0.25, Adam at 2e-4, batch 128,
two stride-2 4x4 convs and two residual blocks of 256 units, codebook trained by the
codebook loss (the paper's main method; --config.model.ema_codebook=True for the EMA
variant of its appendix).
  python -m experiments.vqvae --workdir=/tmp/vqvae_cifar10 \
      --config=experiments/configs/vqvae/cifar10.py
No directly comparable paper number: the paper reports bits/dim on CIFAR-10 (section 4.1:
4.67 for the VQ-VAE against 4.51 for a continuous VAE and 5.14 for VIMCO), a likelihood
with its own decoder likelihood and prior, whereas this model is trained and reported with
squared error (eval/mse, eval/psnr on [-1, 1] images).
"""
from experiments.configs import default
from experiments.configs.vqvae import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.model = common.model_config()
  default.set_schedule(config, num_steps=250000, batch_size=128, log_every=500,
                       every=10000)
  config.train.checkpoint_every = 5000
  config.train.optimizer.learning_rate = 2e-4
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(
      channels=(8, 16), num_res_blocks=1, res_channels=8, num_codes=16, code_dim=8))
