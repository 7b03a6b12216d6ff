"""pix2pix (Isola et al., 2017) on edges2shoes (UT Zappos50K shoes and their HED edges),
edges -> photo, 256x256 (Sec. 6.2): the U-Net-256, the 70x70 PatchGAN, cGAN + 100 L1, batch
norm over batches of 4, dropout noise, random jitter and mirroring, Adam 2e-4 / beta1 0.5,
15 epochs of the 49,825 training pairs.
  # the paper's edges2shoes.tar.gz holds edges|photo side by side
  python -m gdm.data.split_pairs edges2shoes/ /data/edges2shoes
  python -m experiments.translation --workdir=/tmp/p2p_shoes \
      --config=experiments/configs/translation/pix2pix_edges2shoes.py \
      --config.data.data_dir=/data/edges2shoes
  python -m experiments.evaluate --workdir=/tmp/p2p_shoes --metrics=fid --num_samples=200 \
      --inception_weights=inception.npz --ref_split=val
The paper shows this task qualitatively only. MMGeneration's evaluation of the authors'
released edges2shoes model: FID 75.8, IS 2.77 on the 200 validation pairs
(open-mmlab/mmgeneration, configs/pix2pix/README.md). Not yet measured here (no data and no
accelerator in this environment). The smoke variant runs the same nets, shrunk, on embedded
digit outlines -> digits at 32x32.
"""
from experiments.configs.translation import common

TRAIN_PAIRS = 49_825


def get_config(variant: str = ''):
  return common.pix2pix_256(variant, eval_split='val', batch_size=4, epoch=TRAIN_PAIRS // 4,
                            epochs=15, smoke_data='digits_edges')
