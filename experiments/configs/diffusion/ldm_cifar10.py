"""Latent diffusion on CIFAR-10 (Rombach et al., 2022's recipe on Ho et al.'s benchmark) in
the 16x16x4 latents of first_stage/ldm_cifar10.py (KL, f = 2): ddpm_cifar10.py's DDPM (linear
betas 1e-4..0.02, T = 1000, L_simple; Adam 2e-4 with 5000 warmup steps, batch 128, EMA
0.9999) with its UNet shortened by one level for the 16x16 latents (multipliers 1, 2, 2,
attention at 8x8), class-conditional with classifier-free guidance (label dropout 0.1,
w = 1), DDIM sampling with 200 steps.
  python -m experiments.first_stage --workdir=/tmp/ldm_cifar10_ae \
      --config=experiments/configs/first_stage/ldm_cifar10.py
  python -m experiments.diffusion --workdir=/tmp/ldm_cifar10 \
      --config=experiments/configs/diffusion/ldm_cifar10.py \
      --config.model.autoencoder_workdir=/tmp/ldm_cifar10_ae
  python -m experiments.evaluate --workdir=/tmp/ldm_cifar10 --metrics=fid,is \
      --num_samples=50000 --inception_weights=inception.npz
No paper number (the LDM paper has no CIFAR-10 experiment; pixel-space DDPM reaches FID
3.17 unconditionally, Ho et al. 2020, Table 1). Not run here (no tfds download on this
machine). The smoke variant uses the untrained first stage of first_stage/ldm_cifar10.py:smoke.
"""
from experiments.configs import default
from experiments.configs.diffusion import common
from experiments.configs.first_stage import ldm_cifar10 as first_stage


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.data.random_flip = True
  config.model = common.model_config(
      net='unet', unet=dict(channel_mult=(1, 2, 2), attn_resolutions=(8,)),
      autoencoder_workdir='/tmp/ldm_cifar10_ae', class_conditional=True, guidance_scale=1.0,
      sampler='ddim', sample_steps=200, eval_nll=False)
  common.image_training(config, num_steps=800_000)
  config.eval.num_examples, config.eval.batch_size = 1000, 100
  return common.apply_latent_variant(config, variant, first_stage)
