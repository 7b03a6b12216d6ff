"""The first stage of the latent diffusion digits baseline (Rombach et al., 2022, sec. 3): a
KL-regularised conv autoencoder (KL weight 1e-6, L1 reconstruction, no perceptual or
adversarial term) from scikit-learn's 8x8 digits resized to 16x16 (embedded, no download) to
4x4x4 latents (f = 4); the default job of `python -m experiments.first_stage`, minutes on a
laptop CPU. Then train the latent diffusion model on it:
  python -m experiments.first_stage --workdir=/tmp/ldm_digits_ae \
      --config=experiments/configs/first_stage/ldm_digits.py
  python -m experiments.diffusion --workdir=/tmp/ldm_digits \
      --config=experiments/configs/diffusion/ldm_digits.py \
      --config.model.autoencoder_workdir=/tmp/ldm_digits_ae
  python -m experiments.evaluate --workdir=/tmp/ldm_digits_ae --mode=reconstructions \
      --metrics=fid --features=domain --domain_classifier=CLF --num_samples=512  (rFID)
No paper number (the paper has no digits experiment; its f=4 KL first stage reaches rFID
0.27 and PSNR 27.53 on ImageNet at 256x256: the latent-diffusion README's model zoo).
Measured here: benchmarks/RESULTS.md, "Latent diffusion".
"""
from experiments.configs import default
from experiments.configs.first_stage import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.image_size = 16
  config.model = common.model_config(channels=(32, 64), num_res_blocks=1, res_channels=32,
                                     z_channels=4, regularizer='kl')
  default.set_schedule(config, num_steps=3000, batch_size=64, log_every=100, every=1000)
  config.train.optimizer.learning_rate = 1e-3
  config.train.ema_decay = 0.99   # a short run: a 0.999 average would lag ~1000 steps
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=common.smoke())
