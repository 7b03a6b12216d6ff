"""pix2pix (Isola et al., 2017) on CMP Facades, labels -> photo, 256x256 (Sec. 6.2): the
U-Net-256, the 70x70 PatchGAN, cGAN + 100 L1, batch norm with batch size 1, dropout noise,
random jitter (286 -> 256) and mirroring, Adam 2e-4 / beta1 0.5, 200 epochs of the 400
training images.
  # the paper's facades.tar.gz holds photo|labels side by side: put labels in A, photos in B
  python -m gdm.data.split_pairs facades/ /data/facades --swap
  python -m experiments.translation --workdir=/tmp/p2p_facades \
      --config=experiments/configs/translation/pix2pix_facades.py \
      --config.data.data_dir=/data/facades
  python -m experiments.translation --workdir=/tmp/p2p_facades --mode=translate
  python -m experiments.evaluate --workdir=/tmp/p2p_facades --metrics=fid --num_samples=106 \
      --inception_weights=inception.npz --ref_split=test
The paper reports no number for facades (its tables are Cityscapes FCN scores and AMT
studies). MMGeneration's evaluation of the authors' released facades model: FID 119.1, IS
1.65 on the 106 test images (open-mmlab/mmgeneration, configs/pix2pix/README.md). Not yet
measured here (no facades and no accelerator in this environment). The smoke variant runs
the same nets, shrunk, on embedded gray -> colour digits at 32x32.
"""
from experiments.configs.translation import common


def get_config(variant: str = ''):
  return common.pix2pix_256(variant, eval_split='test', batch_size=1, epoch=400, epochs=200,
                            smoke_data='digits_colorize')
