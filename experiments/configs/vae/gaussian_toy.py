"""MLP VAE with a 2-D latent on the correlated 2-D `gaussian` toy (no download), Gaussian
decoder with a learned variance per dimension.
  python -m experiments.vae --workdir=/tmp/vae_gaussian \
      --config=experiments/configs/vae/gaussian_toy.py
The data's exact entropy is 2.548 nats (gdm.data.toy.GAUSSIAN_ENTROPY), the lowest
cross-entropy any model can reach: eval/nll (IWAE, k=1000) should approach it from above,
and eval/loss (the negative ELBO) stays above eval/nll. Not yet measured here.
"""
from experiments.configs import default
from experiments.configs.vae import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'gaussian'
  config.model = common.model_config(kind='mlp', hidden=(64, 64), latent_dim=2,
                                     decoder='gaussian', variance='per_dim', eval_k=1000,
                                     eval_chunk=250)
  default.set_schedule(config, num_steps=10_000, batch_size=256, log_every=500,
                       every=5000)
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
