"""PixelCNN on binarized MNIST (tfds; downloads on first use), the setting of van den Oord
et al. (2016a, "Pixel Recurrent Neural Networks", table 2): a 7x7 mask-A conv, 12 residual
blocks of 3x3 mask-B convs (2h = 128 features), two 1x1 layers, a Bernoulli per pixel.
  python -m experiments.autoregressive --workdir=/tmp/pixelcnn_mnist \
      --config=experiments/configs/autoregressive/pixelcnn_binarized_mnist.py
Paper: 81.30 nats test NLL (table 2, PixelCNN; PixelRNN reaches 79.20). Their data are the
fixed binarization of Salakhutdinov & Murray; here binarization is dynamic (a fresh draw per
step) and the layer count/width approximate the paper's. Not yet measured here.
"""
from experiments.configs import default
from experiments.configs.autoregressive import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'mnist'
  config.data.binarize = 'dynamic'
  config.model = common.model_config(net='pixelcnn', likelihood='bernoulli', pixelcnn=dict(
      features=128, num_layers=12, first_kernel_size=7, head_features=64))
  default.set_schedule(config, num_steps=200_000, batch_size=64, log_every=1000,
                       every=20_000)
  config.train.optimizer.learning_rate = 3e-4
  config.eval.num_examples = 0
  return common.apply_variant(config, variant)
