"""Relativistic pairing GAN (RpGAN / RSGAN, Jolicoeur-Martineau, 2019) on the ring of eight
Gaussians: the default MLP GAN (mlp_eight_gaussians.py) with D: -log sigmoid(C(x_r) - C(x_f))
and G: -log sigmoid(C(x_f) - C(x_r)), everything else the same, so the two runs compare the
loss alone (embedded data, no download).
  python -m experiments.gan --workdir=/tmp/rpgan_8g \
      --config=experiments/configs/gan/rpgan_eight_gaussians.py
  (--config.model.loss=ragan for the relativistic average loss, RaSGAN)
Paper number: none for a 2-D toy (the paper's experiments are on images; its abstract reports
the relativistic losses stabler than their standard counterparts, and RaSGAN with a gradient
penalty better than WGAN-GP at one D update per G update); the official code's README
(github.com/AlexiaJM/RelativisticGAN) lists FID 32.11 for RaSGAN on 256x256 cats. Measured
here (5000 steps, 70 s on two shared CPU cores): eval/modes_covered 8, eval/high_quality
0.964 (ragan: 8, 0.959; mlp_eight_gaussians.py records 8, 0.963). eval/accuracy sits at 0.5:
it thresholds raw scores at 0, which a shift-invariant critic does not respect. After 3000
steps (`python -m benchmarks.gan_toy_losses --steps=3000`, seed 0): rpgan 8 modes, 0.881
high quality; ragan 8, 0.676; on grid25 16 and 17 of 25 modes.
"""
from experiments.configs.gan import mlp_eight_gaussians


def get_config(variant: str = ''):
  config = mlp_eight_gaussians.get_config(variant)
  config.model.loss = 'rpgan'
  return config
