"""Conditional DCGAN on MNIST (tfds; downloads on first use): the one-hot digit label is
appended to z and, as ten constant channels, to the discriminator's input (Mirza &
Osindero, 2014, with DCGAN networks), so `--mode=conditional` draws each digit on demand.
  python -m experiments.gan --workdir=/tmp/cdcgan_mnist \
      --config=experiments/configs/gan/cdcgan_mnist.py
  python -m experiments.gan --workdir=/tmp/cdcgan_mnist \
      --config=experiments/configs/gan/cdcgan_mnist.py --mode=conditional
--config.model.conditioning=acgan trains ACGAN's auxiliary classifier instead (Odena et
al., 2017). Paper number: Mirza & Osindero (2014, Table 1) report a Parzen-window
log-likelihood of 132 +- 1.8 for their (MLP) conditional net on MNIST, a measure this code
does not compute; score samples with `python -m experiments.evaluate --features=domain`.
Not yet measured here.
"""
from experiments.configs import default
from experiments.configs.gan import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'mnist'
  config.model = common.model_config(kind='dcgan', latent_dim=100, conditioning='concat',
                                     conv=dict(g_channels=(64, 128), d_channels=(64, 128),
                                               d_norm='batch'))
  common.adam(config, g_lr=2e-4, d_lr=2e-4, b1=0.5, b2=0.999)
  default.set_schedule(config, num_steps=20_000, batch_size=128, log_every=500,
                       every=5000)
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
