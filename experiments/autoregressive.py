"""Autoregressive models (NADE, MADE, PixelCNN, Gated PixelCNN, PixelCNN++, Image / Sparse
Transformer, VQ-VAE prior).

  python -m experiments.autoregressive --workdir=/tmp/ar
  python -m experiments.autoregressive --workdir=/tmp/ar --mode=sample     (or inpaint, eval)
  python -m experiments.autoregressive --workdir=/tmp/pixelcnn_pp \
      --config=experiments/configs/autoregressive/pixelcnn_pp_cifar10.py
  python -m experiments.autoregressive --workdir=/tmp/it_digits \
      --config=experiments/configs/autoregressive/image_transformer_digits.py
  python -m experiments.autoregressive --workdir=/tmp/vq_prior \
      --config=experiments/configs/autoregressive/vqvae_prior_digits.py \
      --config.model.vqvae_workdir=/tmp/vqvae_digits
"""
from experiments import launch

launch.define_flags('autoregressive/pixelcnn_digits.py')

if __name__ == '__main__':
  launch.main('autoregressive')
