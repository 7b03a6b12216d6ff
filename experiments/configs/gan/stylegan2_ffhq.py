"""StyleGAN2 config F (Karras et al., 2020) on FFHQ at 1024x1024 with mirror augmentation.
FFHQ is not a tfds dataset: download its 70,000 PNGs (github.com/NVlabs/ffhq-dataset,
`images1024x1024/`, 70 sub-folders of 1000; the folder source reads them, sub-folders as
labels the unconditional model ignores) and point data.data_dir at them.
  python -m experiments.gan --workdir=/tmp/sg2_ffhq \
      --config=experiments/configs/gan/stylegan2_ffhq.py \
      --config.data.data_dir=/data/ffhq/images1024x1024
  python -m experiments.evaluate --workdir=/tmp/sg2_ffhq --metrics=fid --num_samples=50000 \
      --inception_weights=inception.npz
  (--config.data.image_size=256 for the README's 256x256 runs.)
The official recipe (NVlabs/stylegan2 run_training.py, training_loop.py, loss.py): z and w
of 512, 8 mapping layers (lr x 0.01), channels min(32768 / r, 512); non-saturating loss, R1
gamma = 10 every 16 steps, path length weight 2 every 4 steps on half the batch, style
mixing 0.9; Adam lr 0.002, betas 0 and 0.99, eps 1e-8, both adjusted for the lazy updates;
batch 32, 25,000 kimg (781,250 steps), EMA half-life 10k images. Paper number: FID 2.84
(Karras et al., 2020, Table 1, config F, FFHQ 1024x1024, 50k samples against the training
images; the official README lists fid50k 2.84 +- 0.03 for the released network; about 10
days on 8 V100s there). gdm's FID Inception is pytorch-fid's port of the same network, so
FIDs are comparable up to resizing details. Not measured here (no GPU, no FFHQ offline).
`:smoke` trains the tiny variant on tfds celeb_a faces (mocked in the tests: FFHQ is a folder
no test machine has).
"""
from experiments.configs import default
from experiments.configs.gan import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'folder'
  config.data.image_size = 1024
  config.data.random_flip = True
  config.model = common.model_config(kind='stylegan2', latent_dim=512, loss='non_saturating',
                                     regularizer='r1', penalty_weight=10.0)
  common.adam(config, g_lr=0.002, d_lr=0.002, b1=0.0, b2=0.99, eps=1e-8)
  default.set_schedule(config, num_steps=781_250, batch_size=32, log_every=1000,
                       every=50_000)
  config.train.checkpoint_every = 10_000
  config.train.ema_decay = 0.5 ** (32 / 10_000)    # G_smoothing_kimg = 10
  config.eval.batch_size = 32
  smoke = dict(latent_dim=8, stylegan2=dict(w_dim=8, mapping_layers=1, channel_base=64,
                                            channel_max=8, d_reg_every=2, pl_every=2))
  config = default.apply_variant(config, variant, smoke=smoke)
  if variant == 'smoke':
    config.data.name, config.data.image_size = 'celeb_a', 8
  return config
