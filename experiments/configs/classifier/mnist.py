"""Domain-feature classifier for MNIST (tfds; downloads on first use), a small convnet; the
features of `python -m experiments.evaluate --features=domain` for MNIST models.
  python -m experiments.classifier --workdir=/tmp/clf_mnist \
      --config=experiments/configs/classifier/mnist.py
Offline: --config.data.name=mnist_idx --config.data.data_dir=DIR. Not yet measured here.
"""
from experiments.configs import default
from experiments.configs.classifier import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'mnist'
  config.model = common.model_config(kind='conv', channels=(32, 64), feature_dim=128)
  default.set_schedule(config, num_steps=5000, batch_size=128, log_every=250, every=2500)
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(channels=(8, 8), feature_dim=8))
