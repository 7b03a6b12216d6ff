"""PixelCNN with a 256-way softmax on the 8-bit 8x8 digits (pixels in [-1, 1], not
binarized): the autoregressive model of `python -m experiments.compare`, whose eval/nll is
the exact negative log-likelihood of the 8-bit pixels.
  python -m experiments.autoregressive --workdir=/tmp/ar_compare \
      --config=experiments/configs/autoregressive/compare_digits.py
No paper number (no paper has this dataset); the compare's measured row is in the README's
"One table across families".
"""
from experiments.configs import default, digits_compare
from experiments.configs.autoregressive import common


def get_config(variant: str = ''):
  config = digits_compare.setup(default.get_config(), num_steps=3000)
  config.model = common.model_config(net='pixelcnn', likelihood='categorical',
                                     pixelcnn=dict(features=32, num_layers=4,
                                                   first_kernel_size=5))
  return common.apply_variant(config, variant, smoke_image_size=0)
