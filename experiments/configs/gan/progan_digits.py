"""Progressive GAN (Karras et al., 2018) on scikit-learn's digits resized to 16x16 (embedded,
no download): grows 4x4 -> 8x8 -> 16x16, WGAN-GP with the drift term, equalized learning
rate, pixel norm, minibatch stddev; minutes on a laptop CPU.
  python -m experiments.gan --workdir=/tmp/progan_digits \
      --config=experiments/configs/gan/progan_digits.py
  python -m experiments.classifier --workdir=/tmp/clf_digits16 \
      --config=experiments/configs/classifier/digits.py --config.data.image_size=16
  python -m experiments.evaluate --workdir=/tmp/progan_digits --features=domain \
      --domain_classifier=/tmp/clf_digits16 --num_samples=1000 --kid_subset_size=500 \
      --kid_subsets=20 --metrics=fid,kid,pr
The paper's recipe scaled down: Adam lr 1e-3 (beta1 0, beta2 0.99, eps 1e-8) for both
players, one critic update per generator update, lambda 10, eps_drift 0.001, EMA 0.999 of
G (its half-life ramped up over the first 5% of the run's steps, StyleGAN2-ADA's 0.05); each phase (4x4, each fade-in, each new resolution's stabilisation) is 400 steps of
batch 64 here instead of 800k images. Paper number: none for digits (the paper reports
Inception Score 8.80 on unsupervised CIFAR-10, Table 3 / abstract, and CelebA-HQ results);
measured here: benchmarks/RESULTS.md ("Progressive GAN and BigGAN").
"""
from experiments.configs import default
from experiments.configs.gan import common

SMOKE = dict(latent_dim=8, progan=dict(channels=(8, 8, 8), stable_steps=1, fade_steps=1))


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.image_size = 16
  config.model = common.model_config(kind='progan', latent_dim=64, loss='wgan',
                                     regularizer='gradient_penalty', penalty_weight=10.0,
                                     drift_weight=0.001,
                                     progan=dict(channels=(64, 64, 32), stable_steps=400,
                                                 fade_steps=400, mbstd_group=4))
  common.adam(config, g_lr=1e-3, d_lr=1e-3, b1=0.0, b2=0.99, eps=1e-8)
  default.set_schedule(config, num_steps=2400, batch_size=64, log_every=200, every=1200)
  config.train.ema_decay = 0.999
  config.train.ema_rampup = 0.05    # StyleGAN2-ADA's ramp, so a short run's EMA is not its init
  return default.apply_variant(config, variant, smoke=SMOKE)
