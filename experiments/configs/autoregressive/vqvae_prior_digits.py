"""PixelCNN prior over the 4x4 code maps of a trained VQ-VAE on 16x16 digits (van den Oord
et al., 2017, section 3.2): the frozen VQ-VAE encodes every batch to codes, a Gated PixelCNN
with a K-way softmax learns p(codes), and `--mode=sample` decodes sampled code maps into new
images (`--mode=inpaint` completes the bottom code rows). Train the VQ-VAE first:
  python -m experiments.vqvae --workdir=/tmp/vqvae_digits
  python -m experiments.autoregressive --workdir=/tmp/vq_prior \
      --config=experiments/configs/autoregressive/vqvae_prior_digits.py \
      --config.model.vqvae_workdir=/tmp/vqvae_digits
  python -m experiments.autoregressive --workdir=/tmp/vq_prior --mode=sample \
      --config=experiments/configs/autoregressive/vqvae_prior_digits.py \
      --config.model.vqvae_workdir=/tmp/vqvae_digits
eval/nll is nats per code map, eval/bits_per_code per code (log2 64 = 6 for uniform codes).
No paper number (the paper has no digits experiment). Measured here (shared CPU): on the
default VQ-VAE run (3000 steps, eval/psnr 29.5, perplexity 50) this prior reaches
eval/bits_per_code 4.31 (47.8 nats per map) after 600 steps, about 1.5 min; samples are
recognisable digits. The smoke variant uses an untrained VQ-VAE with the model section of
vqvae/digits.py:smoke (model.untrained_vqvae), so the test suite needs no VQ-VAE run.
"""
from experiments.configs import default
from experiments.configs.autoregressive import common
from experiments.configs.vqvae import digits as vqvae_digits


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.image_size = 16
  # Small and short: 1,500 code maps of 16 codes are memorised quickly (64 features and
  # 2000 steps reached train 11.9 / eval 101.9 nats per map).
  config.model = common.model_config(
      net='gated_pixelcnn', likelihood='categorical', vqvae_workdir='/tmp/vqvae_digits',
      gated_pixelcnn=dict(features=32, num_layers=2, kernel_size=3, first_kernel_size=3))
  default.set_schedule(config, num_steps=600, batch_size=64, log_every=100, every=200)
  config.train.ema_decay = 0.99
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  return common.apply_variant(
      config, variant, vqvae_workdir='',
      untrained_vqvae=vqvae_digits.get_config('smoke').model.to_dict())
