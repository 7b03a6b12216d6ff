"""DCGAN (Radford et al., 2016) on CelebA, 140x140 centre crop resized to 64x64 (tfds;
downloads on first use).
  python -m experiments.gan --workdir=/tmp/dcgan_celeba \
      --config=experiments/configs/gan/dcgan_celeba64.py
  python -m experiments.evaluate --workdir=/tmp/dcgan_celeba --metrics=fid \
      --num_samples=50000 --inception_weights=inception.npz
Four levels (4x4 -> 64x64, 512..64 channels as the paper's 1024..128 halved, the usual
PyTorch DCGAN widths), batch norm, Adam 2e-4 with beta1 = 0.5. Paper number: the TTUR paper
(Heusel et al., 2017, Table 1) reports FID 21.4 for this DCGAN on CelebA 64x64 with one
learning rate, 12.5 with TTUR (D 5e-4, G 1e-4: --config.model.d_optimizer.learning_rate=5e-4
--config.train.optimizer.learning_rate=1e-4). Not yet measured here.
"""
from experiments.configs import default
from experiments.configs.gan import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'celeb_a'
  config.data.image_size = 64
  config.model = common.model_config(kind='dcgan', latent_dim=100,
                                     conv=dict(g_channels=(64, 128, 256, 512),
                                               d_channels=(64, 128, 256, 512), d_norm='batch'))
  common.adam(config, g_lr=2e-4, d_lr=2e-4, b1=0.5, b2=0.999)
  default.set_schedule(config, num_steps=50_000, batch_size=64, log_every=500,
                       every=10_000)
  config = default.apply_variant(config, variant, smoke=dict(common.SMOKE))
  if variant == 'smoke':
    config.data.image_size = 16     # the mock images are resized
  return config
