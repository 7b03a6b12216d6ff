"""IWAE with k=50 on binarized MNIST (tfds; downloads on first use): the architecture of
mlp_binarized_mnist.py trained on the k=50 importance-weighted bound (Burda et al., 2016):
model.objective='iwae', model.iwae.k=50.
  python -m experiments.vae --workdir=/tmp/iwae_mnist \
      --config=experiments/configs/vae/iwae_binarized_mnist.py
Dynamic binarization, as in mlp_binarized_mnist.py. eval/nll is the IWAE estimate with
k=5000 on the full test set. Expected: test NLL about 87.1 nats, the figure reproductions
report for IWAE k=50 (as quoted in the project's issue 9). Not yet measured here.
"""
from experiments.configs.vae import common, mlp_binarized_mnist
from experiments.configs import default


def get_config(variant: str = ''):
  config = mlp_binarized_mnist.get_config()
  config.model.objective = 'iwae'
  config.model.iwae.k = 50
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE, iwae=dict(k=3)))
