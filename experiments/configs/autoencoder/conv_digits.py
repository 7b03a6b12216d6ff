"""Convolutional autoencoder on scikit-learn's 8x8 digits resized to 16x16 (no download).

The default job of `python -m experiments.autoencoder`; about a minute on a laptop CPU.
  python -m experiments.autoencoder --workdir=/tmp/ae_conv_digits \
      --config=experiments/configs/autoencoder/conv_digits.py
Autoencoders have no headline paper number; the recorded result of this command is in
benchmarks/RESULTS.md (eval/psnr on the held-out digits).
"""
from experiments.configs import default
from experiments.configs.autoencoder import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.image_size = 16
  config.model = common.model_config(kind='conv', channels=(16, 32), latent_dim=16)
  default.set_schedule(config, num_steps=3000, batch_size=64, log_every=100,
                       every=1000)
  config.train.ema_decay = 0.99   # a short run: a 0.999 average would lag ~1000 steps
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(channels=(8, 16)))
