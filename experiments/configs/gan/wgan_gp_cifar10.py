"""WGAN-GP (Gulrajani et al., 2017) with the ResNet networks on CIFAR-10 (tfds; downloads
on first use).
  python -m experiments.gan --workdir=/tmp/wgan_gp_cifar10 \
      --config=experiments/configs/gan/wgan_gp_cifar10.py
  python -m experiments.evaluate --workdir=/tmp/wgan_gp_cifar10 --metrics=is,fid \
      --num_samples=50000 --inception_weights=inception.npz
Wasserstein loss, gradient penalty lambda = 10 on interpolates, 5 critic updates per
generator update, no normalisation in the critic, Adam 2e-4 (beta1 = 0, beta2 = 0.9)
decayed linearly to 0 over 100k generator steps, batch 64. Paper number: Inception Score
7.86 +- 0.07 (unsupervised, ResNet; Gulrajani et al., 2017, Table 3). Not yet measured here.
"""
from experiments.configs import default
from experiments.configs.gan import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.data.random_flip = True
  config.model = common.model_config(kind='resnet', latent_dim=128, loss='wgan',
                                     regularizer='gradient_penalty', penalty_weight=10.0,
                                     n_critic=5,
                                     conv=dict(g_channels=(128, 128, 128),
                                               d_channels=(128, 128, 128, 128), d_downsample=2,
                                               d_norm='none'))
  common.adam(config, g_lr=2e-4, d_lr=2e-4, b1=0.0, b2=0.9, schedule='linear')
  default.set_schedule(config, num_steps=100_000, batch_size=64, log_every=500,
                       every=10_000)
  config.train.ema_decay = 0.9999
  smoke = dict(common.SMOKE, conv=dict(g_channels=(8,), d_channels=(8,), d_downsample=1),
               n_critic=2)
  return default.apply_variant(config, variant, smoke=smoke)
