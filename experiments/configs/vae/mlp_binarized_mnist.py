"""VAE on binarized MNIST (tfds; downloads on first use): the Kingma & Welling / IWAE setting,
one stochastic layer of 50 units, 200-200 tanh MLPs, Bernoulli decoder.
  python -m experiments.vae --workdir=/tmp/vae_mnist \
      --config=experiments/configs/vae/mlp_binarized_mnist.py
Binarization is dynamic: a fresh Bernoulli(pixel/255) draw every training step (evaluation
draws are fixed by the evaluation key); --config.data.binarize=static gives one fixed binary
dataset instead. eval/nll is the IWAE estimate with k=5000 on the full test set.
Expected: test NLL about 89.9 nats, the figure reproductions report for this VAE (as quoted
in the project's issue 9, not a number from a paper table). Not yet measured here.
"""
from experiments.configs import default
from experiments.configs.vae import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'mnist'
  config.data.binarize = 'dynamic'
  config.model = common.model_config(kind='mlp', hidden=(200, 200), latent_dim=50, act='tanh',
                                     decoder='bernoulli', eval_k=5000, eval_chunk=500)
  default.set_schedule(config, num_steps=300_000, batch_size=128, log_every=1000,
                       every=50_000)
  config.train.optimizer.eps = 1e-4
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=common.SMOKE)
