"""VQ-VAE-2 on ImageNet 64x64 (tfds imagenet_resized/64x64, labels; downloads), the paper's
two-level codec scaled from 256x256 to 64x64 inputs (Razavi et al., 2019, sec. 3 and
appendix A): a 16x16 bottom and an 8x8 top map, K = 512 codes of dimension 64 per level,
EMA codebooks (decay 0.99), beta = 0.25, two residual blocks; Adam at 3e-4, batch 128.
  python -m experiments.vqvae2 --workdir=/tmp/vqvae2_imagenet64 \
      --config=experiments/configs/vqvae2/vqvae2_imagenet64.py
Then vqvae2_prior/vqvae2_imagenet64.py. Paper number: at 256x256 the paper reports the
codec's reconstruction MSE 0.0047 (train) / 0.0050 (validation) and the priors' NLL 3.40 /
3.41 (top) and 3.45 / 3.45 (bottom) nats per code (Table 1; from the paper, not confirmed
with the search tool, which found only its abstract); no 64x64 number. Not run here (no
ImageNet on this machine).
"""
from experiments.configs import default
from experiments.configs.vqvae2 import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'imagenet_resized/64x64'
  config.data.eval_split = 'validation'
  config.model = common.model_config(
      bottom_channels=(128, 128), top_channels=(128,), num_res_blocks=2, res_channels=64,
      num_codes=512, code_dim=64, dead_code_threshold=1.0)
  default.set_schedule(config, num_steps=200_000, batch_size=128, log_every=1000,
                       every=20_000)
  config.train.checkpoint_every = 5000
  config.train.optimizer.learning_rate = 3e-4
  config.eval.num_examples = 10_000
  config = default.apply_variant(config, variant, smoke=common.SMOKE)
  if variant == 'smoke':
    config.data.image_size = 16     # compiles in seconds
  return config
