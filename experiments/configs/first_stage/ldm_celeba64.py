"""The first stage of the latent diffusion CelebA baseline (Rombach et al., 2022): LDM's
VQ-regularised f = 4 autoencoder (LDM-VQ-4, the CelebA-HQ model's), scaled from 256x256
CelebA-HQ to tfds celeb_a (the largest face dataset tfds downloads without a manual step;
center crop 140, resized to 64x64): 64x64x3 -> 16x16x3 latents, an 8192-code EMA codebook,
L1 reconstruction and the PatchGAN hinge loss (weight 0.5 from step 50001, as LDM's
autoencoder configs); no LPIPS term (gdm ships no perceptual network: the perceptual-free
default). Adam at LDM's 4.5e-6 times the batch.
  python -m experiments.first_stage --workdir=/tmp/ldm_celeba64_ae \
      --config=experiments/configs/first_stage/ldm_celeba64.py
  python -m experiments.evaluate --workdir=/tmp/ldm_celeba64_ae --mode=reconstructions \
      --metrics=fid --num_samples=10000 --inception_weights=inception.npz   (rFID)
Paper number: none at 64x64 (the latent-diffusion README's model zoo gives its f=4 VQ first
stage rFID 0.58, PSNR 27.43 on ImageNet 256x256; from the README, not confirmed with the
search tool). Not run here (no tfds download on this machine).
"""
from experiments.configs import default
from experiments.configs.first_stage import common

BATCH = 64


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'celeb_a'
  config.data.image_size = 64
  config.data.eval_split = 'validation'
  config.data.random_flip = True
  config.model = common.model_config(
      channels=(128, 256), num_res_blocks=2, res_channels=128, z_channels=3,
      regularizer='vq', vq=dict(num_codes=8192, dead_code_threshold=1.0),
      adversarial=dict(weight=0.5, start_step=50_001, channels=(64, 128, 256)))
  default.set_schedule(config, num_steps=200_000, batch_size=BATCH, log_every=1000,
                       every=20_000)
  config.train.checkpoint_every = 5000
  config.train.optimizer.learning_rate = 4.5e-6 * BATCH
  config.model.adversarial.optimizer.learning_rate = 4.5e-6 * BATCH
  config.eval.num_examples = 10_000
  config = default.apply_variant(config, variant, smoke=common.smoke(
      adversarial=dict(start_step=0)))
  if variant == 'smoke':
    config.data.image_size = 16     # compiles in seconds
  return config
