"""PixelCNN on binarized 8x8 digits (scikit-learn's, no download): the default job of
`python -m experiments.autoregressive`, a minute or two on CPU.
  python -m experiments.autoregressive --workdir=/tmp/ar_digits \
      --config=experiments/configs/autoregressive/pixelcnn_digits.py
No paper number (no paper has this dataset). Measured here (shared 2-core CPU, 2000 steps,
about 4 min with sampling): eval/nll 23.59 nats per 64-pixel image, eval/bpd 0.532.
"""
from experiments.configs import default
from experiments.configs.autoregressive import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.binarize = 'dynamic'
  config.model = common.model_config(net='pixelcnn', likelihood='bernoulli',
                                     pixelcnn=dict(features=32, num_layers=4,
                                                   first_kernel_size=5))
  default.set_schedule(config, num_steps=2000, batch_size=64, log_every=100, every=1000)
  config.train.ema_decay = 0.99
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  config.sample.num_samples = 32
  return common.apply_variant(config, variant)
