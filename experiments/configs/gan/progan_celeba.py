"""Progressive GAN (Karras et al., 2018) on CelebA at 128x128 (tfds celeb_a, the aligned
faces' 140x140 centre crop resized; downloads on first use). CelebA-HQ (the paper's 1024x1024
set) is not in tfds without a manual download, so this is the paper's 128x128 CelebA setup
(Sec. 6.1, Table 1), growing 4x4 -> 128x128.
  python -m experiments.gan --workdir=/tmp/progan_celeba \
      --config=experiments/configs/gan/progan_celeba.py
  python -m experiments.evaluate --workdir=/tmp/progan_celeba --metrics=fid \
      --num_samples=50000 --inception_weights=inception.npz
The paper's networks (Table 2: 512 feature maps up to 32x32, then 256, 128; latent 512),
WGAN-GP (lambda 10) with eps_drift 0.001, Adam lr 1e-3 (beta1 0, beta2 0.99, eps 1e-8),
minibatch 16, 800k images per fade-in and per stabilisation (50k steps of 16), EMA 0.999 of
G. Paper numbers: Table 1 scores 128x128 CelebA with sliced Wasserstein distance and
MS-SSIM, which this code does not compute (I could not open the table to quote it); the
CelebA-HQ 1024x1024 FID of the paper's network is 7.30 (listed for this paper by Papers with
Code). Not measured here (a GPU job).
"""
from experiments.configs import default
from experiments.configs.gan import common

PHASE = 50_000          # 800k images at batch 16


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'celeb_a'
  config.data.image_size = 128
  config.data.random_flip = True
  config.model = common.model_config(kind='progan', latent_dim=512, loss='wgan',
                                     regularizer='gradient_penalty', penalty_weight=10.0,
                                     drift_weight=0.001,
                                     progan=dict(channels=(512, 512, 512, 512, 256, 128),
                                                 stable_steps=PHASE, fade_steps=PHASE))
  common.adam(config, g_lr=1e-3, d_lr=1e-3, b1=0.0, b2=0.99, eps=1e-8)
  default.set_schedule(config, num_steps=11 * PHASE, batch_size=16, log_every=500,
                       every=25_000)
  config.train.ema_decay = 0.999
  config = default.apply_variant(config, variant, smoke=dict(
      latent_dim=8, progan=dict(channels=(8, 8, 8), stable_steps=1, fade_steps=1)))
  if variant == 'smoke':
    config.data.image_size = 16     # the mock images are resized
  return config
