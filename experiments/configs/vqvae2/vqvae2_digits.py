"""VQ-VAE-2 on scikit-learn's 8x8 digits resized to 16x16 (embedded, no download), scaled
down from the paper's 256x256 model (Razavi et al., 2019): bottom codes at 1/4 of the image
(4x4), top codes at 1/8 (2x2), K = 64 codes of dimension 16 per level, EMA codebooks with
dead-code restarts; the default job of `python -m experiments.vqvae2`, minutes on a laptop
CPU. Then train the two priors (vqvae2_prior/vqvae2_digits.py) and sample through them:
  python -m experiments.vqvae2 --workdir=/tmp/vqvae2_digits \
      --config=experiments/configs/vqvae2/vqvae2_digits.py
  python -m experiments.vqvae2_prior --workdir=/tmp/vqvae2_digits_prior \
      --config=experiments/configs/vqvae2_prior/vqvae2_digits.py \
      --config.model.vqvae2_workdir=/tmp/vqvae2_digits
No paper number (the paper has no digits experiment); compare eval/psnr with vqvae/digits.py
(one 4x4 level, 29.5 dB) and watch eval/perplexity_top, eval/perplexity_bottom (at most 64).
"""
from experiments.configs import default
from experiments.configs.vqvae2 import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.image_size = 16
  config.model = common.model_config(
      bottom_channels=(32, 64), top_channels=(64,), num_res_blocks=1, res_channels=32,
      num_codes=64, code_dim=16, dead_code_threshold=1.0)
  default.set_schedule(config, num_steps=3000, batch_size=64, log_every=100, every=1000)
  config.train.optimizer.learning_rate = 1e-3
  config.train.ema_decay = 0.99
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=common.SMOKE)
