"""NICE (Dinh et al., 2015) on MNIST (tfds; downloads on first use): 4 additive couplings on
alternating pixels, each an MLP of 5 hidden layers of 1000 ReLUs, diagonal rescaling,
logistic prior; data in [0, 1] with uniform dequantization.
  python -m experiments.flow --workdir=/tmp/nice_mnist \
      --config=experiments/configs/flow/nice_mnist.py
Paper: log-likelihood 1980.50 nats on the MNIST test set (Dinh et al., 2015, log-likelihood results table), in
the units of this config's eval/nll (dequantized pixels / 256), i.e. eval/nll = -1980.5 and
eval/bpd = (-1980.5 + 784 ln 256) / (784 ln 2) = 4.36 bits/dim. Not yet measured here.
"""
from experiments.configs.flow import common


def get_config(variant: str = ''):
  # The paper's Adam: lr 1e-3, beta1 0.9, beta2 0.01, eps 1e-4.
  return common.image_config(
      variant, dict(name='mnist', scale='zero_one'), num_steps=150_000, batch_size=200,
      optimizer=dict(learning_rate=1e-3, b1=0.9, b2=0.01, eps=1e-4),
      kind='nice', num_layers=4, hidden=(1000,) * 5, prior='logistic')
