"""Denoising autoencoder (Vincent et al., 2008) on scikit-learn's digits (no download):
salt-and-pepper noise on 25% of the pixels, reconstruction of the clean digit.
  python -m experiments.autoencoder --workdir=/tmp/dae_digits \
      --config=experiments/configs/autoencoder/denoising_digits.py
Switch `model.corruption` to gaussian (noise_level = std) or masking (fraction zeroed).
Evaluation reports eval/noisy_psnr (the corrupted input) and eval/denoise_psnr (its
reconstruction); the recorded result is in benchmarks/RESULTS.md.
"""
from experiments.configs import default
from experiments.configs.autoencoder import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.image_size = 16
  config.model = common.model_config(kind='conv', channels=(32, 64), latent_dim=32,
                                     corruption='salt_and_pepper', noise_level=0.25)
  default.set_schedule(config, num_steps=3000, batch_size=64, log_every=100,
                       every=1000)
  config.train.ema_decay = 0.99   # a short run: a 0.999 average would lag ~1000 steps
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(channels=(8, 16)))
