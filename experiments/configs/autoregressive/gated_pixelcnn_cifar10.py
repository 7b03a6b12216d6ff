"""Gated PixelCNN on CIFAR-10 (tfds; downloads on first use), van den Oord et al. (2016b,
"Conditional Image Generation with PixelCNN Decoders"): 20 gated layers of 384 features,
5x5 kernels (7x7 first), a 256-way softmax per subpixel with R < G < B.
  python -m experiments.autoregressive --workdir=/tmp/gated_cifar10 \
      --config=experiments/configs/autoregressive/gated_pixelcnn_cifar10.py
Paper: 3.03 bits/dim on the test set (table 1). Not yet measured here (days on an
accelerator; hopeless on CPU).
"""
from experiments.configs import default
from experiments.configs.autoregressive import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.model = common.model_config(
      net='gated_pixelcnn', likelihood='categorical', gated_pixelcnn=dict(
          features=384, num_layers=20, kernel_size=5, first_kernel_size=7, head_features=1020))
  default.set_schedule(config, num_steps=500_000, batch_size=64, log_every=1000,
                       every=20_000)
  config.train.optimizer.learning_rate = 3e-4
  config.eval.num_examples = 0
  return common.apply_variant(config, variant,
                              gated_pixelcnn=dict(features=6, head_features=6))
