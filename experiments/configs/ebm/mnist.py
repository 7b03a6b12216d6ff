"""Spectrally normalised ResNet energy on MNIST (tfds; downloads on first use), pixels in
[-1, 1], trained with 60 SGLD steps per update from a replay buffer of 10,000 negatives
(5% restarted from uniform noise each step), step size 10 and noise 0.005 as in Du &
Mordatch (2019). Samples come from the buffer (`sampling.init='buffer'`), like the paper's.
  python -m experiments.ebm --workdir=/tmp/ebm_mnist --config=experiments/configs/ebm/mnist.py
  python -m experiments.ebm --workdir=/tmp/ebm_mnist --config=experiments/configs/ebm/mnist.py \
      --mode=inpaint       (or denoise, ood)
No paper number for unconditional MNIST; not yet measured here. A CPU check of the same
recipe on the embedded 8x8 digits, smaller and shorter (4 min on 2 shared cores):
  python -m experiments.ebm --workdir=/tmp/ebm_digits --config=experiments/configs/ebm/mnist.py \
      --config.data.name=digits --config.model.resnet.channels='(16,32)' \
      --config.model.sgld.steps=20 --config.model.sgld.unroll=20 \
      --config.model.buffer.size=2000 --config.train.num_steps=600 \
      --config.train.batch_size=64 --config.train.ema_decay=0.99 \
      --config.eval.num_examples=256 --config.eval.batch_size=64
gave digit-like buffer samples; on 64 test digits `--mode=ood` AUROC 1.0 against uniform
noise and against the digits with shuffled pixels, `--mode=inpaint` missing-half MSE 0.62
(1.08 from noise), `--mode=denoise` MSE 0.057 (0.063 noisy, std 0.3).
"""
from experiments.configs import default
from experiments.configs.ebm import common


def get_config(variant: str = ''):
  config = common.image_setup(default.get_config(), 'mnist',
                              resnet=dict(channels=(32, 64, 128), blocks=1))
  default.set_schedule(config, num_steps=20_000, batch_size=128, log_every=100, every=5000)
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
