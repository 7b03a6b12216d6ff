"""Stacked autoencoder trained greedily layer by layer (Bengio et al., 2007), then
fine-tuned end to end, on scikit-learn's 8x8 digits (no download).
  python -m experiments.autoencoder --workdir=/tmp/ae_stacked_digits \
      --config=experiments/configs/autoencoder/stacked_digits.py
Stages: layer0 for steps [0, S), layer1 for [S, 2S), code layer for [2S, 3S), then all
layers on the end-to-end loss (S = num_steps / 4). No paper number for reconstruction;
the recorded result is in benchmarks/RESULTS.md.
"""
from experiments.configs import default
from experiments.configs.autoencoder import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.model = common.model_config(kind='stacked', hidden=(128, 64), latent_dim=16,
                                     act='sigmoid')
  default.set_schedule(config, num_steps=4000, batch_size=64, log_every=200,
                       every=1000)
  config.train.ema_decay = 0.99   # a short run: a 0.999 average would lag ~1000 steps
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(hidden=(16, 8), latent_dim=4))
