"""The first stage of the latent diffusion CIFAR-10 config (Rombach et al., 2022, sec. 3):
a KL-regularised f = 2 autoencoder (KL weight 1e-6, L1 reconstruction, the PatchGAN hinge
loss with weight 0.5 from step 20001; no LPIPS term: gdm ships no perceptual network), from
32x32x3 CIFAR-10 (tfds, downloads) to 16x16x4 latents: at 32x32 a larger f loses too much
(the paper's fig. 6: f = 4..16 balance cost and quality at 256x256). Adam at LDM's 4.5e-6
times the batch.
  python -m experiments.first_stage --workdir=/tmp/ldm_cifar10_ae \
      --config=experiments/configs/first_stage/ldm_cifar10.py
  python -m experiments.evaluate --workdir=/tmp/ldm_cifar10_ae --mode=reconstructions \
      --metrics=fid --num_samples=10000 --inception_weights=inception.npz   (rFID)
No paper number (the paper has no CIFAR-10 experiment). Not run here (no tfds download).
"""
from experiments.configs import default
from experiments.configs.first_stage import common

BATCH = 128


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.data.random_flip = True
  config.model = common.model_config(
      channels=(128,), num_res_blocks=2, res_channels=128, z_channels=4, regularizer='kl',
      adversarial=dict(weight=0.5, start_step=20_001, channels=(64, 128)))
  default.set_schedule(config, num_steps=100_000, batch_size=BATCH, log_every=1000,
                       every=10_000)
  config.train.checkpoint_every = 5000
  config.train.optimizer.learning_rate = 4.5e-6 * BATCH
  config.model.adversarial.optimizer.learning_rate = 4.5e-6 * BATCH
  config.eval.num_examples = 10_000
  config = default.apply_variant(config, variant, smoke=common.smoke(
      adversarial=dict(start_step=0)))
  if variant == 'smoke':
    config.data.image_size = 16     # compiles in seconds
  return config
