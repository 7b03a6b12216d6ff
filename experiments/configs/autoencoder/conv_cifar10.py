"""Convolutional autoencoder on CIFAR-10 (tfds; downloads on first use), random flips.
  python -m experiments.autoencoder --workdir=/tmp/ae_cifar10 \
      --config=experiments/configs/autoencoder/conv_cifar10.py
Offline, the JPEG copy works the same: --config.data.name=folder
--config.data.data_dir=PATH/cifar10-jpg (JPEG re-encoded: PSNR is close to, not equal
to, that on the original). No paper number; recorded results in benchmarks/RESULTS.md.
"""
from experiments.configs import default
from experiments.configs.autoencoder import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.data.random_flip = True
  config.model = common.model_config(kind='conv', channels=(64, 128, 256), latent_dim=256)
  default.set_schedule(config, num_steps=50000, batch_size=128, log_every=500,
                       every=10000)
  config.train.checkpoint_every = 5000
  config.train.optimizer.learning_rate = 2e-4
  config.train.optimizer.warmup_steps = 1000
  config.train.optimizer.schedule = 'cosine'
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(channels=(8, 16, 16),
                                                           latent_dim=16))
