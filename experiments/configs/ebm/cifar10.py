"""Unconditional CIFAR-10 (tfds; downloads on first use) after Du & Mordatch (2019),
"Implicit Generation and Modeling with Energy-Based Models": a spectrally normalised
ResNet energy with swish activations, 60 SGLD steps of size 10 with noise 0.005 per update,
a replay buffer of 10,000 negatives with 5% restarted from uniform noise, L2 energy
regulariser alpha=1, Adam(lr 1e-4, b1=0) and batch 128; samples come from the buffer.
  python -m experiments.ebm --workdir=/tmp/ebm_cifar10 \
      --config=experiments/configs/ebm/cifar10.py
  python -m experiments.evaluate --workdir=/tmp/ebm_cifar10 --metrics=fid,is \
      --num_samples=50000 --inception_weights=inception.npz
Paper: unconditional CIFAR-10 FID 40.58 for a single model (Du & Mordatch 2019, Table 1;
as listed at https://www.wizwand.com/paper/68fa67d51e209131cea18cbc). Its Inception Score
could not be checked from here and is not quoted. The paper's ResNet is larger than this
one. Not yet measured here.
"""
from experiments.configs import default
from experiments.configs.ebm import common


def get_config(variant: str = ''):
  config = common.image_setup(default.get_config(), 'cifar10',
                              resnet=dict(channels=(128, 128, 256), blocks=2))
  config.data.random_flip = True
  default.set_schedule(config, num_steps=100_000, batch_size=128, log_every=500,
                       every=10_000)
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
