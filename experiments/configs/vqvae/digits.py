"""VQ-VAE on scikit-learn's 8x8 digits resized to 16x16 (no download); the default job of
`python -m experiments.vqvae`. A 4x4 map of K=64 codes of dim 16, EMA codebook with
dead-code restarts.
  python -m experiments.vqvae --workdir=/tmp/vqvae_digits \
      --config=experiments/configs/vqvae/digits.py
New images need a prior over the codes: train experiments/configs/autoregressive/
vqvae_prior_digits.py on this run (its docstring has the commands), then
  python -m experiments.vqvae --workdir=/tmp/vqvae_digits --mode=sample \
      --config.model.prior_workdir=/tmp/vq_prior
No paper number (the paper has no digits experiment); compare eval/psnr with the
autoencoder's conv_digits baseline and watch eval/perplexity (at most K=64).
"""
from experiments.configs import default
from experiments.configs.vqvae import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.image_size = 16
  config.model = common.model_config(
      channels=(32, 64), num_res_blocks=1, res_channels=32, num_codes=64, code_dim=16,
      ema_codebook=True, dead_code_threshold=1.0)
  default.set_schedule(config, num_steps=3000, batch_size=64, log_every=100,
                       every=1000)
  config.train.optimizer.learning_rate = 1e-3
  config.train.ema_decay = 0.99   # a short run: a 0.999 average would lag ~1000 steps
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(
      channels=(8, 16), res_channels=8, num_codes=16, code_dim=8))
