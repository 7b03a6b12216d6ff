"""beta-TCVAE on scikit-learn's 8x8 digits, statically binarized (no download; a minute or
two on a laptop CPU): the VAE of mlp_digits.py trained with the objective of
beta_tcvae_dsprites.py (Chen et al., 2018), beta=6 on the total correlation, here with
minibatch stratified sampling; N = 1500 training images (the DatasetInfo's size).
  python -m experiments.vae --workdir=/tmp/tcvae_digits \
      --config=experiments/configs/vae/beta_tcvae_digits.py
  python -m experiments.vae --workdir=/tmp/tcvae_digits \
      --config=experiments/configs/vae/beta_tcvae_digits.py --mode=interpolate
The TC weight pushes the 8 latents towards independence at some cost in reconstruction
(compare eval/nll with mlp_digits.py). No paper number; not yet measured here.
"""
from experiments.configs import default
from experiments.configs.vae import common, mlp_digits


def get_config(variant: str = ''):
  config = mlp_digits.get_config()
  config.model.objective = 'beta_tcvae'
  config.model.beta_tcvae.update(beta=6.0, sampling='mss')
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
