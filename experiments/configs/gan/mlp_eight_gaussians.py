"""MLP GAN (non-saturating loss) on the ring of eight Gaussians (embedded, no download).

The default job of `python -m experiments.gan`; a minute or two on a laptop CPU.
  python -m experiments.gan --workdir=/tmp/gan_8g
  python -m experiments.gan --workdir=/tmp/gan_8g --mode=interpolate   (also arithmetic)
  python -m experiments.gan --workdir=/tmp/gan_8g --config.model.loss=hinge   (or minimax,
      lsgan, wgan with --config.model.weight_clip=0.01 or
      --config.model.regularizer=gradient_penalty)
eval/modes_covered (of 8) and eval/high_quality (share of samples within 3 std of a mode)
are the mode-collapse measure of VEEGAN (Srivastava et al., 2017, Table 1), whose 2-D ring
of 8 Gaussians has a vanilla GAN at 1 mode (99.3% high quality), unrolled GAN at 7.6 and
VEEGAN at 8.0 (52.9%); their ring has narrower modes than this toy's (std 0.35 at radius
2.83), so the numbers are comparable in kind, not value. Measured here (5000 steps, 2 min on
two shared CPU cores): eval/modes_covered 8, eval/high_quality 0.963; every loss after 3000
steps: `python -m benchmarks.gan_toy_losses --steps=3000`.
"""
from experiments.configs import default
from experiments.configs.gan import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'eight_gaussians'
  config.model = common.model_config(kind='mlp', latent_dim=16,
                                     mlp=dict(g_hidden=(128, 128, 128), d_hidden=(128, 128, 128)))
  common.adam(config, g_lr=2e-4, d_lr=2e-4, b1=0.5, b2=0.999)
  default.set_schedule(config, num_steps=5000, batch_size=256, log_every=250, every=2500)
  config.train.ema_decay = 0.99
  config.eval.num_examples = 2048
  config.eval.batch_size = 1024
  config.sample.num_samples = 1024
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
