"""MLP autoencoder on MNIST (tfds; downloads on first use) with a Bernoulli decoder.
  python -m experiments.autoencoder --workdir=/tmp/ae_mnist \
      --config=experiments/configs/autoencoder/mlp_mnist.py
To use local idx files instead: --config.data.name=mnist_idx --config.data.data_dir=DIR.
No paper number for reconstruction; not yet measured on the full dataset here (the
development machine cannot download), see benchmarks/RESULTS.md.
"""
from experiments.configs import default
from experiments.configs.autoencoder import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'mnist'
  config.data.scale = 'zero_one'
  config.model = common.model_config(kind='mlp', hidden=(512, 256), latent_dim=32, loss='bce')
  default.set_schedule(config, num_steps=20000, batch_size=128, log_every=200,
                       every=5000)
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(hidden=(32,), latent_dim=4))
