"""Denoising autoencoder on MNIST with 25% masking noise, the MNIST setting of the stacked
denoising autoencoder paper (Vincent et al., JMLR 2010, section 7: "masking noise" with
destruction fraction up to 25% on MNIST; one hidden layer here).
  python -m experiments.autoencoder --workdir=/tmp/dae_mnist \
      --config=experiments/configs/autoencoder/denoising_mnist.py
That paper reports classification errors of the learned features, not reconstruction, so
there is no comparable number; not yet measured here (no tfds download on this machine).
"""
from experiments.configs import default
from experiments.configs.autoencoder import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'mnist'
  config.data.scale = 'zero_one'
  config.model = common.model_config(kind='mlp', hidden=(1000,), latent_dim=1000, loss='bce',
                                     act='sigmoid', corruption='masking', noise_level=0.25)
  default.set_schedule(config, num_steps=30000, batch_size=128, log_every=500,
                       every=10000)
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(hidden=(32,), latent_dim=8))
