"""MADE on binarized MNIST (tfds; downloads on first use), Germain et al. (2015): one hidden
layer of 500 ReLU units, one fixed (identity) ordering.
  python -m experiments.autoregressive --workdir=/tmp/made_mnist \
      --config=experiments/configs/autoregressive/made_binarized_mnist.py
Paper (table 6 as we recall it, not re-checked here): 88.40 nats test NLL for 1 hidden layer
and a single mask; about 86.6 nats with 32 masks (connectivity-agnostic training and
ensembling over orderings, which this implementation does not do). Their data are the fixed
binarization of Salakhutdinov & Murray; here binarization is dynamic. Not yet measured here.
NADE (Larochelle & Murray, 2011) in the same setting: add --config.model.net=nade
--config.model.nade.act=sigmoid (model.nade.hidden=500 sigmoid units, tied weights).
"""
from experiments.configs import default
from experiments.configs.autoregressive import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'mnist'
  config.data.binarize = 'dynamic'
  config.model = common.model_config(net='made', likelihood='bernoulli',
                                     made=dict(hidden=(500,)))
  default.set_schedule(config, num_steps=100_000, batch_size=100, log_every=1000,
                       every=10_000)
  config.eval.num_examples = 0
  return common.apply_variant(config, variant)
