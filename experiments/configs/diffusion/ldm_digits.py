"""Latent diffusion on digits (Rombach et al., 2022): DDPM (T = 1000, linear betas, L_simple)
with a small UNet on the 4x4x4 latents of the KL first stage first_stage/ldm_digits.py, the
latents scaled to unit variance (1 / std of the first batch, kept in the run), DDIM sampling
decoded to 16x16 digits. Embedded data; minutes on a laptop CPU. Train the first stage first:
  python -m experiments.first_stage --workdir=/tmp/ldm_digits_ae \
      --config=experiments/configs/first_stage/ldm_digits.py
  python -m experiments.diffusion --workdir=/tmp/ldm_digits \
      --config=experiments/configs/diffusion/ldm_digits.py \
      --config.model.autoencoder_workdir=/tmp/ldm_digits_ae
  python -m experiments.evaluate --workdir=/tmp/ldm_digits --metrics=fid,kid \
      --features=domain --domain_classifier=CLF --num_samples=512
(CLF: python -m experiments.classifier --workdir=CLF --config.data.image_size=16.) No paper
number (the paper has no digits experiment; its CelebA-HQ 256 LDM-VQ-4 reaches FID 5.11,
Table 1). Domain FID and train / sample throughput against pixel-space DDPM at an equal
wall-clock budget: benchmarks/RESULTS.md, "Latent diffusion". The smoke variant uses the
untrained first stage of first_stage/ldm_digits.py:smoke (model.untrained_autoencoder).
"""
from experiments.configs import default
from experiments.configs.diffusion import common
from experiments.configs.first_stage import ldm_digits as first_stage


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.image_size = 16
  config.model = common.model_config(
      net='unet', unet=dict(channels=64, channel_mult=(1, 2), num_res_blocks=2,
                            attn_resolutions=(2,), dropout=0.1),
      autoencoder_workdir='/tmp/ldm_digits_ae', sampler='ddim', sample_steps=100,
      eval_nll=False)
  default.set_schedule(config, num_steps=4000, batch_size=64, log_every=100, every=1000)
  opt = config.train.optimizer
  opt.learning_rate, opt.warmup_steps, opt.clip_norm = 1e-3, 200, 1.0
  config.train.ema_decay = 0.995
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  return common.apply_latent_variant(config, variant, first_stage)
