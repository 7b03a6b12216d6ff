"""SNGAN (Miyato et al., 2018): spectrally normalised ResNet discriminator, hinge loss, on
CIFAR-10 (tfds; downloads on first use).
  python -m experiments.gan --workdir=/tmp/sngan_cifar10 \
      --config=experiments/configs/gan/sngan_cifar10.py
  python -m experiments.evaluate --workdir=/tmp/sngan_cifar10 --metrics=is,fid \
      --num_samples=50000 --inception_weights=inception.npz
G: 3 up-blocks of 256 channels from 4x4; D: 4 blocks of 128 (two halve), ReLU, sum pooling;
5 D updates per G update, Adam 2e-4 (beta1 = 0, beta2 = 0.9) decayed linearly, batch 64,
50k generator steps. Add --config.model.conv.attention_res=16 for SAGAN-style attention, or
--config.model.conditioning=projection for the projection discriminator. Paper number:
Inception Score 8.22, FID 21.7 (Miyato et al., 2018, Table 2; listed in Ho et al., 2020,
DDPM Table 1). Not yet measured here.
"""
from experiments.configs import default
from experiments.configs.gan import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.data.random_flip = True
  config.model = common.model_config(kind='resnet', latent_dim=128, spectral_norm=True,
                                     loss='hinge', n_critic=5,
                                     conv=dict(g_channels=(256, 256, 256),
                                               d_channels=(128, 128, 128, 128), d_downsample=2,
                                               d_norm='none'))
  common.adam(config, g_lr=2e-4, d_lr=2e-4, b1=0.0, b2=0.9, schedule='linear')
  default.set_schedule(config, num_steps=50_000, batch_size=64, log_every=500,
                       every=10_000)
  config.train.ema_decay = 0.9999
  smoke = dict(common.SMOKE, conv=dict(g_channels=(8,), d_channels=(8,), d_downsample=1),
               n_critic=1)
  return default.apply_variant(config, variant, smoke=smoke)
