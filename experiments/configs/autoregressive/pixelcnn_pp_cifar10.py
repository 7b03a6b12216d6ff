"""PixelCNN++ on CIFAR-10 (tfds; downloads on first use), Salimans et al. (2017): 3 levels,
5 gated resnet blocks per level (6 on the way down), 160 features, a mixture of 10 discretized
logistics per pixel with RGB coefficients, dropout 0.5, lr 1e-3 decaying.
  python -m experiments.autoregressive --workdir=/tmp/pixelcnn_pp_cifar10 \
      --config=experiments/configs/autoregressive/pixelcnn_pp_cifar10.py
Paper: 2.92 bits/dim on the test set (table 1). Differences: Adam instead of Adamax, no
weight normalisation / data-dependent init. Not yet measured here (days on GPUs).
"""
from experiments.configs import default
from experiments.configs.autoregressive import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.model = common.model_config(net='pixelcnn_pp', likelihood='logistic_mixture',
                                     pixelcnn_pp=dict(features=160, num_resnet=5, levels=3,
                                                      dropout=0.5),
                                     num_mixtures=10)
  default.set_schedule(config, num_steps=500_000, batch_size=64, log_every=1000,
                       every=20_000)
  config.train.optimizer.schedule = 'cosine'
  config.eval.num_examples = 0
  return common.apply_variant(config, variant)
