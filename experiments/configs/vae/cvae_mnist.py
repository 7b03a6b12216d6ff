"""Conditional VAE on binarized MNIST (tfds; downloads on first use): the one-hot digit
label enters encoder and decoder (Sohn et al., 2015), so `--mode=conditional` draws each
digit class on demand, one row per class.
  python -m experiments.vae --workdir=/tmp/cvae_mnist \
      --config=experiments/configs/vae/cvae_mnist.py
  python -m experiments.vae --workdir=/tmp/cvae_mnist \
      --config=experiments/configs/vae/cvae_mnist.py --mode=conditional
Static binarization. eval/nll is the conditional NLL -log p(x|y) (IWAE, k=1000). No paper
number; not yet measured here.
"""
from experiments.configs import default
from experiments.configs.vae import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'mnist'
  config.data.binarize = 'static'
  config.model = common.model_config(kind='mlp', hidden=(500, 500), latent_dim=20,
                                     decoder='bernoulli', conditional=True, eval_k=1000,
                                     eval_chunk=250)
  default.set_schedule(config, num_steps=50_000, batch_size=128, log_every=500,
                       every=10_000)
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
