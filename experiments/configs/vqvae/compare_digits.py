"""VQ-VAE on the native 8x8 digits (pixels in [-1, 1]): one stride-2 level to a 4x4 map of
K=64 codes of dim 16, EMA codebook with dead-code restarts. The codec of the VQ-VAE in
`python -m experiments.compare`, whose samples come from the PixelCNN prior of
experiments/configs/autoregressive/compare_vqvae_prior_digits.py over these codes:
  python -m experiments.vqvae --workdir=/tmp/vqvae_compare \
      --config=experiments/configs/vqvae/compare_digits.py
  python -m experiments.autoregressive --workdir=/tmp/vqvae_compare_prior \
      --config=experiments/configs/autoregressive/compare_vqvae_prior_digits.py \
      --config.model.vqvae_workdir=/tmp/vqvae_compare
  python -m experiments.vqvae --workdir=/tmp/vqvae_compare --mode=sample \
      --config=experiments/configs/vqvae/compare_digits.py \
      --config.model.prior_workdir=/tmp/vqvae_compare_prior
No paper number (the paper has no digits experiment); the compare's measured row is in the
README's "One table across families".
"""
from experiments.configs import default, digits_compare
from experiments.configs.vqvae import common


def get_config(variant: str = ''):
  config = digits_compare.setup(default.get_config(), num_steps=3000)
  config.model = common.model_config(
      channels=(64,), num_res_blocks=1, res_channels=32, num_codes=64, code_dim=16,
      ema_codebook=True, dead_code_threshold=1.0)
  config.train.optimizer.learning_rate = 1e-3
  return default.apply_variant(config, variant, smoke=dict(
      channels=(8,), res_channels=8, num_codes=16, code_dim=8))
