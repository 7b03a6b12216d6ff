"""StyleGAN2 (Karras et al., 2020) on scikit-learn's digits resized to 16x16 (embedded, no
download; minutes on a laptop CPU): mapping network, modulated and demodulated convs with
noise inputs from a learned constant, skip generator, residual discriminator with minibatch
stddev, style mixing (p = 0.9), non-saturating loss with lazy R1 (every 16 steps) and lazy
path length regularisation (every 4), the EMA of G (its half-life ramped up as in
StyleGAN2-ADA, ema_rampup 0.05, so that a short run is not scored with its init).
  python -m experiments.gan --workdir=/tmp/sg2_digits \
      --config=experiments/configs/gan/stylegan2_digits.py
  python -m experiments.gan --workdir=/tmp/sg2_digits \
      --config=experiments/configs/gan/stylegan2_digits.py --mode=style_mixing
      (or interpolate, truncation; --config.sample.truncation_psi=0.7 truncates samples)
  python -m experiments.classifier --workdir=/tmp/clf16 \
      --config=experiments/configs/classifier/digits.py --config.data.image_size=16
  python -m experiments.evaluate --workdir=/tmp/sg2_digits --features=domain \
      --domain_classifier=/tmp/clf16 --num_samples=1000 --kid_subset_size=500
Config F's recipe (Adam lr 0.002, betas 0 and 0.99, R1, path length weight 2, mixing 0.9)
with networks shrunk to the 16x16 digits: w and z of 64, 4 mapping layers, 64 channels at
4 and 8, 32 at 16, batch 32; R1 gamma 0.1 for these small images (the StyleGAN2-ADA
heuristic 0.0002 r^2 / batch gives 0.0016 at r = 16; config F uses 10 at 1024). The paper
reports no digits number (its FFHQ number: stylegan2_ffhq.py); measured here against DCGAN
at an equal wall-clock budget: benchmarks/RESULTS.md, "StyleGAN2".
"""
from experiments.configs import default
from experiments.configs.gan import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.image_size = 16
  config.model = common.model_config(
      kind='stylegan2', latent_dim=64, loss='non_saturating', regularizer='r1',
      penalty_weight=0.1,
      stylegan2=dict(w_dim=64, mapping_layers=4, channel_base=512, channel_max=64))
  common.adam(config, g_lr=0.002, d_lr=0.002, b1=0.0, b2=0.99)
  default.set_schedule(config, num_steps=3000, batch_size=32, log_every=100, every=1000)
  config.train.ema_decay = 0.5 ** (32 / 10_000)    # the official 10k-image half-life
  config.train.ema_rampup = 0.05    # StyleGAN2-ADA's ramp ('cifar' and 'auto' configs)
  config.eval.num_examples = 0
  smoke = dict(latent_dim=8, stylegan2=dict(w_dim=8, mapping_layers=1, channel_base=64,
                                            channel_max=8, d_reg_every=2, pl_every=2))
  config = default.apply_variant(config, variant, smoke=smoke)
  if variant == 'smoke':
    config.data.image_size = 8      # the digits' own size: one block, a quicker compile
  return config
