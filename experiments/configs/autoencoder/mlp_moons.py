"""MLP autoencoder with a 1-D code on the 2-D `moons` toy (no download): the code must
trace the curve of each moon, which the scatter PNGs in WORKDIR/samples show.
  python -m experiments.autoencoder --workdir=/tmp/ae_moons \
      --config=experiments/configs/autoencoder/mlp_moons.py
No paper number: reported here is eval/mse (benchmarks/RESULTS.md).
"""
from experiments.configs import default
from experiments.configs.autoencoder import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'moons'
  config.model = common.model_config(kind='mlp', hidden=(64, 64), latent_dim=1)
  default.set_schedule(config, num_steps=5000, batch_size=256, log_every=250,
                       every=2500)
  return default.apply_variant(config, variant, smoke=dict(hidden=(16, 16)))
