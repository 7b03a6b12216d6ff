"""Image Transformer on CIFAR-10 (tfds; downloads on first use), Parmar et al. (2018): the
categorical model with 1-D local attention, 12 decoder layers of width 512, 4 heads,
feed-forward 2048 (ReLU), post-norm, dropout 0.3, query blocks of 256 subpixels that also
attend to the 256 before them (tensor2tensor's imagetransformer_cifar10_base hparams), a
256-way softmax per subpixel with a 256-entry embedding per channel.
  python -m experiments.autoregressive --workdir=/tmp/image_transformer_cifar10 \
      --config=experiments/configs/autoregressive/image_transformer_cifar10.py
Paper: 2.90 bits/dim on the CIFAR-10 test set (Parmar et al., 2018, table 4; the same 2.90
is cited in Child et al., 2019, table 1, and is the docstring of tensor2tensor's
imagetransformer_cifar10_base, "Best config for 2.90 bits/dim on CIFAR10 using cross
entropy"; the table itself was not in the stored sources, so its row is not quoted).
Differences: Adam with linear warmup and cosine decay instead of the noam schedule (same
peak, ~3.5e-4 at step 4000), learned row/column/channel embeddings, the training length is
chosen here. Not yet measured here (days on accelerators).
"""
from experiments.configs import default
from experiments.configs.autoregressive import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.model = common.model_config(
      net='image_transformer', likelihood='categorical', image_transformer=dict(
          num_layers=12, features=512, num_heads=4, ff_features=2048, act='relu',
          norm='post', dropout=0.3, attention='local_1d',
          local_1d=dict(query_block=256, memory=256), remat=True))
  default.set_schedule(config, num_steps=600_000, batch_size=32, log_every=1000,
                       every=20_000)
  opt = config.train.optimizer
  opt.learning_rate, opt.b2, opt.warmup_steps, opt.schedule = 3.5e-4, 0.98, 4000, 'cosine'
  config.eval.num_examples = 0
  return common.apply_variant(config, variant)
