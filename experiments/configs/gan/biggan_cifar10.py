"""BigGAN (Brock et al., 2019), class-conditional, on CIFAR-10 (tfds; downloads on first use).
  python -m experiments.gan --workdir=/tmp/biggan_cifar10 \
      --config=experiments/configs/gan/biggan_cifar10.py
  python -m experiments.evaluate --workdir=/tmp/biggan_cifar10 --metrics=is,fid \
      --num_samples=50000 --inception_weights=inception.npz
The paper's 32x32 networks (ch = 64: G three up-blocks of 256 channels from 4x4, D four
blocks of 256, the first two halving), shared embedding (128) and hierarchical latent (128 =
4 chunks of 32), spectral norm in G and D, projection discriminator, hinge loss, orthogonal
regularisation 1e-4, Adam 2e-4 (beta1 0, beta2 0.999), 4 D steps per G step, batch 50, EMA
0.9999 of G from step 1000 on, 125k generator steps (500 epochs, as the authors' BigGAN-PyTorch CIFAR script).
A batch that does not fit: --config.train.grad_accum=N (the batch is split over the devices
first); add --config.model.biggan.attention_res=16 for self-attention. Paper number:
Inception Score 9.22, FID 14.73 on CIFAR-10 (BigGAN's CIFAR-10 table in its appendix; the
same numbers are tabulated in Ho et al., 2020, DDPM, Table 1, and Song & Ermon, 2019,
Table 1, which is where I checked them). Not measured here (a GPU job).
"""
from experiments.configs import default
from experiments.configs.gan import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.data.random_flip = True
  config.model = common.model_config(kind='biggan', latent_dim=128, conditioning='projection',
                                     spectral_norm=True, loss='hinge', n_critic=4,
                                     ortho_weight=1e-4,
                                     biggan=dict(g_channels=(256, 256, 256),
                                                 d_channels=(256, 256, 256, 256),
                                                 d_downsample=2, shared_dim=128))
  common.adam(config, g_lr=2e-4, d_lr=2e-4, b1=0.0, b2=0.999)
  default.set_schedule(config, num_steps=125_000, batch_size=50, log_every=500,
                       every=10_000)
  config.train.ema_decay = 0.9999
  config.train.ema_start = 1000     # BigGAN-PyTorch's CIFAR script: --ema_start 1000
  config = default.apply_variant(config, variant, smoke=dict(
      latent_dim=8, n_critic=1, biggan=dict(g_channels=(8,), d_channels=(8, 8), d_downsample=1,
                                            shared_dim=4)))
  if variant == 'smoke':
    config.train.grad_accum = 2      # the accumulation path, in the smoke test
  return config
