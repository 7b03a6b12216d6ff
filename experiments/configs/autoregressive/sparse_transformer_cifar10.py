"""Sparse Transformer on CIFAR-10 (tfds; downloads on first use), Child et al. (2019, sec.
7.1): strided factorised attention over the 3072 subpixels (one part per layer, in turn), 128
pre-norm layers of width 256, 2 heads, half-size feed-forward (512, GELU), dropout 0.25,
learned row / column / channel embeddings, blocks recomputed in the backward pass; Adam with
5000 warmup steps, lr 3.5e-4, cosine decay, gradient clipping 1.0, weight decay 0.01, 120
epochs.
  python -m experiments.autoregressive --workdir=/tmp/sparse_transformer_cifar10 \
      --config=experiments/configs/autoregressive/sparse_transformer_cifar10.py
Paper: 2.80 bits/dim on the CIFAR-10 test set (2.798 +- 0.004 over 3 seeds; table 1, and
table 2: dense attention 2.82, fixed 2.85). Differences: the stride is one image row (96
subpixels; the paper does not give the CIFAR-10 stride), full-size query-key projections,
default initialisation (not scaled by 1/sqrt(2N)), training on the whole tfds train split
(the paper holds out 2000 images), batch 16 (not given). Not yet measured here.
"""
from experiments.configs import default
from experiments.configs.autoregressive import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.model = common.model_config(
      net='image_transformer', likelihood='categorical', image_transformer=dict(
          num_layers=128, features=256, num_heads=2, ff_features=512, act='gelu',
          norm='pre', dropout=0.25, attention='strided', combine='interleave', remat=True))
  default.set_schedule(config, num_steps=375_000, batch_size=16, log_every=1000,
                       every=25_000)                       # 120 epochs of 50000 images
  opt = config.train.optimizer
  opt.name, opt.learning_rate, opt.warmup_steps, opt.schedule = 'adamw', 3.5e-4, 5000, 'cosine'
  opt.weight_decay, opt.clip_norm = 0.01, 1.0
  config.eval.num_examples = 0
  return common.apply_variant(config, variant)
