"""Image Transformer on binarized 8x8 digits (scikit-learn's, no download), next to
pixelcnn_digits.py at an equal budget: the same data, steps, batch and EMA, and a net of about
the same size (2 blocks of width 32, full causal attention over the 64 pixels, ~18k params
against PixelCNN's ~16k).
  python -m experiments.autoregressive --workdir=/tmp/it_digits \
      --config=experiments/configs/autoregressive/image_transformer_digits.py
No paper number (no paper has this dataset). Measured here (shared, loaded 2-core CPU, 2000
steps, 32 min): eval/nll 22.56 nats per image, eval/bpd 0.509, against PixelCNN's 23.53 and
0.530 in the same conditions (benchmarks/RESULTS.md, "Image Transformer and cached sampling").
"""
from experiments.configs import default
from experiments.configs.autoregressive import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.binarize = 'dynamic'
  config.model = common.model_config(
      net='image_transformer', likelihood='bernoulli', image_transformer=dict(
          num_layers=2, features=32, num_heads=4, ff_features=64, attention='full'))
  default.set_schedule(config, num_steps=2000, batch_size=64, log_every=100, every=1000)
  config.train.ema_decay = 0.99
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  config.sample.num_samples = 32
  return common.apply_variant(config, variant)
