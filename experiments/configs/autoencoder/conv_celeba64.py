"""Convolutional autoencoder on CelebA 64x64 (tfds celeb_a: center crop 140, resize 64).
  python -m experiments.autoencoder --workdir=/tmp/ae_celeba \
      --config=experiments/configs/autoencoder/conv_celeba64.py
No paper number; not yet measured here (no tfds download on this machine).
"""
from experiments.configs import default
from experiments.configs.autoencoder import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'celeb_a'
  config.data.image_size = 64
  config.data.eval_split = 'validation'
  config.data.random_flip = True
  config.model = common.model_config(kind='conv', channels=(64, 128, 256, 256), latent_dim=256)
  default.set_schedule(config, num_steps=50000, batch_size=128, log_every=500,
                       every=10000)
  config.train.checkpoint_every = 5000
  config.train.optimizer.learning_rate = 2e-4
  config.eval.num_examples = 10000
  return default.apply_variant(config, variant, smoke=dict(channels=(8, 8, 16, 16),
                                                           latent_dim=16))
