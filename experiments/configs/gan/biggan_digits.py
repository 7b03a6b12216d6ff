"""BigGAN (Brock et al., 2019), class-conditional, on scikit-learn's digits resized to 16x16
(10 classes; embedded, no download): shared class embedding and hierarchical latent into
conditional batch norm, projection discriminator, self-attention at 8x8, spectral norm in G
and D, hinge loss, orthogonal regularisation; minutes on a laptop CPU.
  python -m experiments.gan --workdir=/tmp/biggan_digits \
      --config=experiments/configs/gan/biggan_digits.py
  python -m experiments.gan --workdir=/tmp/biggan_digits \
      --config=experiments/configs/gan/biggan_digits.py --mode=conditional
  python -m experiments.evaluate --workdir=/tmp/biggan_digits --features=domain \
      --domain_classifier=/tmp/clf_digits16 --num_samples=1000 --kid_subset_size=500 \
      --kid_subsets=20 --metrics=fid,kid,pr
(/tmp/clf_digits16: see progan_digits.py.) Samples cycle through the classes; whether they
show their class: `python -m benchmarks.gan_conditioning --workdir=/tmp/biggan_digits
--classifier=/tmp/clf_digits16`. --config.model.truncation=0.5 samples with the truncation
trick. Adam (beta1 0, beta2 0.999) 2e-4 for both players, 2 D steps per G step, EMA 0.999
of G from step 500 on (a copy of G before: BigGAN's EMA start, 1000 steps for CIFAR-10).
Paper number: none for digits (BigGAN's are ImageNet and CIFAR-10, see biggan_cifar10.py);
measured here: benchmarks/RESULTS.md ("Progressive GAN and BigGAN").
"""
from experiments.configs import default
from experiments.configs.gan import common

SMOKE = dict(latent_dim=9, biggan=dict(g_channels=(8, 8), d_channels=(8, 8), d_downsample=2,
                                       shared_dim=4, attention_res=8))


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.image_size = 16
  config.model = common.model_config(kind='biggan', latent_dim=48, conditioning='projection',
                                     spectral_norm=True, loss='hinge', n_critic=2,
                                     ortho_weight=1e-4,
                                     biggan=dict(g_channels=(64, 64), d_channels=(64, 64, 64),
                                                 d_downsample=2, shared_dim=32,
                                                 attention_res=8))
  common.adam(config, g_lr=2e-4, d_lr=2e-4, b1=0.0, b2=0.999)
  default.set_schedule(config, num_steps=2000, batch_size=64, log_every=200, every=1000)
  config.train.ema_decay = 0.999
  config.train.ema_start = 500      # BigGAN's EMA start (1000 for CIFAR-10), scaled to the run
  return default.apply_variant(config, variant, smoke=SMOKE)
