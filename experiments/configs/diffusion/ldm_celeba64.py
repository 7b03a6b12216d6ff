"""Latent diffusion on CelebA 64x64 (Rombach et al., 2022; tfds celeb_a, center crop 140,
the largest face dataset tfds downloads without a manual step) in the 16x16x3 latents of
first_stage/ldm_celeba64.py (LDM-VQ-4): the CelebA-HQ LDM's UNet (224 channels, multipliers
1, 2, 3, 4, two residual blocks, attention at 8x8, 4x4 and 2x2 latents), DDPM with linear
betas 0.0015..0.0195 over T = 1000, L_simple, the latents scaled by 1 / std of the first
batch; Adam at LDM's 2e-6 times the batch; DDIM sampling with 500 steps (the paper's FID).
  python -m experiments.first_stage --workdir=/tmp/ldm_celeba64_ae \
      --config=experiments/configs/first_stage/ldm_celeba64.py
  python -m experiments.diffusion --workdir=/tmp/ldm_celeba64 \
      --config=experiments/configs/diffusion/ldm_celeba64.py \
      --config.model.autoencoder_workdir=/tmp/ldm_celeba64_ae
  python -m experiments.evaluate --workdir=/tmp/ldm_celeba64 --metrics=fid \
      --num_samples=50000 --inception_weights=inception.npz
Paper number: FID 5.11 on CelebA-HQ 256x256 with LDM-VQ-4 and 500 DDIM steps (Table 1,
unconditional synthesis; the value confirmed with the search tool, Papers with Code's
listing); none at 64x64. Not run here (no tfds download on this machine). The smoke variant
uses the untrained first stage of first_stage/ldm_celeba64.py:smoke.
"""
from experiments.configs import default
from experiments.configs.diffusion import common
from experiments.configs.first_stage import ldm_celeba64 as first_stage

BATCH = 48


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'celeb_a'
  config.data.image_size = 64
  config.data.eval_split = 'validation'
  config.data.random_flip = True
  config.model = common.model_config(
      net='unet', unet=dict(channels=224, channel_mult=(1, 2, 3, 4), num_res_blocks=2,
                            attn_resolutions=(8, 4, 2), dropout=0.0),
      ddpm=dict(beta_start=0.0015, beta_end=0.0195),
      autoencoder_workdir='/tmp/ldm_celeba64_ae', sampler='ddim', sample_steps=500,
      eval_nll=False)
  common.image_training(config, num_steps=400_000, batch_size=BATCH, lr=2e-6 * BATCH,
                        warmup=0)
  config.eval.num_examples, config.eval.batch_size = 1000, 100
  return common.apply_latent_variant(config, variant, first_stage)
