"""Stacked autoencoder on MNIST with the 784-1000-500-250-30 shape of Hinton &
Salakhutdinov (2006), pretrained greedily (here each layer as an autoencoder, as in
Bengio et al., 2007, instead of RBMs) and fine-tuned end to end.
  python -m experiments.autoencoder --workdir=/tmp/ae_stacked_mnist \
      --config=experiments/configs/autoencoder/stacked_mnist.py
Hinton & Salakhutdinov give test squared errors per image (summed over the 784 pixels in
[0, 1]) for their RBM-pretrained network (Science 2006, Fig. 2); eval/mse here is per
pixel, so multiply it by 784 to compare. The number is not quoted here because it could not
be checked against the paper from this machine, and the run was not yet made here (no tfds
download on the development machine).
"""
from experiments.configs import default
from experiments.configs.autoencoder import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'mnist'
  config.data.scale = 'zero_one'
  config.model = common.model_config(kind='stacked', hidden=(1000, 500, 250), latent_dim=30,
                                     act='sigmoid', loss='bce')
  default.set_schedule(config, num_steps=80000, batch_size=128, log_every=500,
                       every=10000)
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(hidden=(32, 16), latent_dim=4))
