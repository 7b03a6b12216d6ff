"""Convolutional VAE on CIFAR-10 (tfds; downloads on first use) with a discretized logistic
mixture decoder (PixelCNN++ likelihood, one mixture per subpixel), so eval/bpd is the
exact-discrete bits per dimension of 8-bit pixels (from the IWAE NLL, k=100).
  python -m experiments.vae --workdir=/tmp/vae_cifar10 \
      --config=experiments/configs/vae/conv_cifar10.py
Free bits (0.25 nats per latent dim) keep the 128 latents in use. No paper number for this
single-layer VAE; not yet measured here.
"""
from experiments.configs import default
from experiments.configs.vae import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.data.random_flip = True
  config.model = common.model_config(kind='conv', channels=(64, 128, 256), latent_dim=128,
                                     decoder='discretized_logistic', num_mixtures=10,
                                     elbo=dict(free_bits=0.25), eval_k=100, eval_chunk=25)
  default.set_schedule(config, num_steps=100_000, batch_size=128, log_every=500,
                       every=10_000)
  config.train.optimizer.learning_rate = 2e-4
  config.train.optimizer.clip_norm = 100.0
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
