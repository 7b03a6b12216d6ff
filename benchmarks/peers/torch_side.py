"""The PyTorch side of the peer benchmarks, run in the peers virtualenv (requirements.txt):

  PEERS/bin/python benchmarks/peers/torch_side.py unet_train --channels=32 --batch=8
  PEERS/bin/python benchmarks/peers/torch_side.py ddim50 --channels=32 --batch=8
  PEERS/bin/python benchmarks/peers/torch_side.py inception --batch=50

Prints one JSON line: examples (or images) per second after a warm-up, with torch limited to
--threads threads. unet_train: diffusers' UNet2DModel in the DDPM CIFAR-10 configuration
(block_out_channels = channels x (1, 2, 2, 2), 2 layers per block, attention at 16x16, dropout
0.1), eps-prediction MSE, backward and an Adam step, as gdm's ddpm_cifar10 train step does.
ddim50: 50 denoising network calls of that UNet. inception: pytorch-fid's FID Inception-v3
(random weights of the real shapes: no download) on uint8 32x32 images resized to 299.
"""
import argparse
import json
import time

import numpy as np
import torch


def unet(channels: int):
  from diffusers import UNet2DModel
  c = channels
  return UNet2DModel(
      sample_size=32, in_channels=3, out_channels=3, layers_per_block=2,
      block_out_channels=(c, 2 * c, 2 * c, 2 * c), dropout=0.1,
      down_block_types=('DownBlock2D', 'AttnDownBlock2D', 'DownBlock2D', 'DownBlock2D'),
      up_block_types=('UpBlock2D', 'UpBlock2D', 'AttnUpBlock2D', 'UpBlock2D'),
      norm_num_groups=min(32, c), attention_head_dim=None)


def timed(fn, repeats: int) -> float:
  fn()
  start = time.perf_counter()
  for _ in range(repeats):
    fn()
  return (time.perf_counter() - start) / repeats


def unet_train(args):
  model = unet(args.channels).train()
  if args.compile:
    model = torch.compile(model)
  opt = torch.optim.Adam(model.parameters(), lr=2e-4)
  x = torch.randn(args.batch, 3, 32, 32)

  def step():
    t = torch.randint(0, 1000, (args.batch,))
    noise = torch.randn_like(x)
    loss = torch.nn.functional.mse_loss(model(x + noise, t).sample, noise)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()

  seconds = timed(step, args.repeats)
  return {'examples_per_s': args.batch / seconds}


@torch.no_grad()
def ddim50(args):
  model = unet(args.channels).eval()
  x = torch.randn(args.batch, 3, 32, 32)

  def sample():
    h = x
    for t in range(999, 0, -20):
      h = h - 0.01 * model(h, torch.full((args.batch,), t)).sample
    return h

  seconds = timed(sample, args.repeats)
  return {'images_per_s': args.batch / seconds}


@torch.no_grad()
def inception(args):
  import pytorch_fid.inception as fid
  # Random weights of the real shapes in place of the download of the FID weights.
  random_state = fid._inception_v3(num_classes=1008, aux_logits=False, weights=None).state_dict()
  fid.load_state_dict_from_url = lambda *a, **k: random_state
  model = fid.InceptionV3([3]).eval()
  images = torch.from_numpy(np.random.default_rng(0).integers(
      0, 256, (args.batch, 3, 32, 32)).astype(np.float32) / 255.0)
  seconds = timed(lambda: model(images), args.repeats)
  return {'images_per_s': args.batch / seconds}


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument('work', choices=['unet_train', 'ddim50', 'inception'])
  parser.add_argument('--channels', type=int, default=32)
  parser.add_argument('--batch', type=int, default=8)
  parser.add_argument('--repeats', type=int, default=3)
  parser.add_argument('--threads', type=int, default=2)
  parser.add_argument('--compile', action='store_true')
  args = parser.parse_args()
  torch.set_num_threads(args.threads)
  torch.manual_seed(0)
  out = {'unet_train': unet_train, 'ddim50': ddim50, 'inception': inception}[args.work](args)
  print(json.dumps({'side': 'torch', 'work': args.work, **{k: round(v, 3)
                                                          for k, v in out.items()}}))


if __name__ == '__main__':
  main()
