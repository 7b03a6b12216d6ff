"""beta-VAE (beta=4) on CelebA 64x64 (tfds celeb_a: center crop 140, resize 64),
convolutional, Gaussian decoder with a learned global variance on dequantized pixels.
beta > 1 trades reconstruction for a code closer to the factorised prior (Higgins et al.,
2017); the KL weight warms up over the first 10k steps.
  python -m experiments.vae --workdir=/tmp/beta_vae_celeba \
      --config=experiments/configs/vae/beta_vae_celeba64.py
  python -m experiments.vae --workdir=/tmp/beta_vae_celeba \
      --config=experiments/configs/vae/beta_vae_celeba64.py --mode=interpolate
No paper number (the paper's results are qualitative traversals); not yet measured here.
"""
from experiments.configs import default
from experiments.configs.vae import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'celeb_a'
  config.data.image_size = 64
  config.data.eval_split = 'validation'
  config.data.dequantize = True
  config.data.random_flip = True
  config.model = common.model_config(kind='conv', channels=(32, 64, 128, 256), latent_dim=32,
                                     decoder='gaussian', variance='global',
                                     elbo=dict(beta=4.0, warmup_steps=10_000), eval_k=100)
  default.set_schedule(config, num_steps=100_000, batch_size=128, log_every=500,
                       every=10_000)
  config.train.optimizer.learning_rate = 3e-4
  config.eval.num_examples = 10_000
  return default.apply_variant(config, variant,
                               smoke=dict(common.SMOKE, elbo=dict(warmup_steps=4)))
