"""EDM on CIFAR-10 (Karras et al., 2022, "Elucidating the Design Space of Diffusion-Based
Generative Models"): preconditioning with sigma_data = 0.5, ln(sigma) ~ N(-1.2, 1.2^2) and the
lambda(sigma) loss weighting, the paper's CIFAR-10 training settings (batch 512, Adam lr 1e-3
ramped up over the first 10 Mimg, 200 Mimg = 390,625 steps, dropout 0.13, EMA half-life
0.5 Mimg) and its deterministic sampler: 18 Heun steps (35 network calls) on the rho = 7 grid
from sigma_max = 80 to sigma_min = 0.002.
  python -m experiments.diffusion --workdir=/tmp/edm_cifar10 \
      --config=experiments/configs/diffusion/edm_cifar10.py
  python -m experiments.evaluate --workdir=/tmp/edm_cifar10 --metrics=fid \
      --num_samples=50000 --inception_weights=inception.npz
  ... --config.model.class_conditional=True   (the class-conditional model; no label dropout)
Paper (Karras et al., 2022, Table 2, "VP" = DDPM++): FID 1.97 unconditional, 1.79
class-conditional, at 35 NFE (the abstract states the same numbers). Not yet measured here.

The network is the DDPM UNet (gdm.nn.unet) set as close to DDPM++ as it goes: 128 channels x
(2, 2, 2), 4 residual blocks per level, single-head attention at 16x16, a 512-wide noise
embedding; 53.6M parameters (DDPM++: about 56M). What remains different from EDM's DDPM++:
down/upsampling by separate conv layers (DDPM++: inside residual blocks, [1, 1] filter, with a
projected skip), no sqrt(1/2) scaling of residual and skip sums, flax's default init with zeroed
last convs (DDPM++: Xavier-uniform), the sinusoidal embedding of c_noise (DDPM++: a positional
embedding of the same frequencies); random x-flips instead of EDM's non-leaky augmentation
(p = 0.12, with the augmentation labels fed to the network); a constant EMA decay
0.5^(512 / 500k) without EDM's EMA ramp-up; the loss averaged over pixels, not summed.
"""
from experiments.configs import default
from experiments.configs.diffusion import common

BATCH = 512
MIMG = 1_000_000 / BATCH        # steps per million training images


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.data.random_flip = True
  config.model = common.model_config(
      process='edm', net='unet',
      unet=dict(channels=128, channel_mult=(2, 2, 2), num_res_blocks=4, attn_resolutions=(16,),
                dropout=0.13),
      sampler='heun', sample_steps=18, label_dropout=0.0)
  default.set_schedule(config, num_steps=round(200 * MIMG), batch_size=BATCH, log_every=1000,
                       every=50_000)
  opt = config.train.optimizer
  opt.learning_rate, opt.warmup_steps = 1e-3, round(10 * MIMG)
  config.train.ema_decay = 0.5 ** (1 / (0.5 * MIMG))     # a half-life of 0.5 Mimg
  config.sample.num_samples = 64
  config.eval.num_examples, config.eval.batch_size = 1000, 100
  return common.apply_image_variant(config, variant)
