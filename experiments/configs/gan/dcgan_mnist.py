"""DCGAN (Radford et al., 2016) on MNIST 28x28 (tfds; downloads on first use).
  python -m experiments.gan --workdir=/tmp/dcgan_mnist \
      --config=experiments/configs/gan/dcgan_mnist.py
  python -m experiments.gan --workdir=/tmp/dcgan_mnist \
      --config=experiments/configs/gan/dcgan_mnist.py --mode=arithmetic   (or interpolate)
Two stride-2 levels (7x7 -> 14 -> 28, 64 and 128 channels), batch norm in both networks,
Adam 2e-4 with beta1 = 0.5 as in the paper. InfoGAN (Chen et al., 2016, MNIST setup): add
--config.model.info_categorical=10 --config.model.info_continuous=2, then --mode=codes draws
one row per value of the categorical code. The paper reports no sample metric on MNIST;
score it with `python -m experiments.evaluate --features=domain` and an MNIST classifier
(experiments/configs/classifier/mnist.py). Not yet measured here.
"""
from experiments.configs import default
from experiments.configs.gan import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'mnist'
  config.model = common.model_config(kind='dcgan', latent_dim=100,
                                     conv=dict(g_channels=(64, 128), d_channels=(64, 128),
                                               d_norm='batch'))
  common.adam(config, g_lr=2e-4, d_lr=2e-4, b1=0.5, b2=0.999)
  default.set_schedule(config, num_steps=20_000, batch_size=128, log_every=500,
                       every=5000)
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
