"""CycleGAN (Zhu et al., 2017) on horse2zebra (tfds cycle_gan/horse2zebra: 1,067 horses and
1,334 zebras from ImageNet; downloads on first use), 256x256 (Sec. 4 and 7): ResNet
generators with 9 blocks, 70x70 PatchGANs, LSGAN, cycle lambda 10, identity 0.5 lambda (the
authors' code default), history buffers of 50, batch size 1, Adam 2e-4 / beta1 0.5 for 100
epochs then linearly to 0 over 100 more, random jitter (286 -> 256) and mirroring.
  python -m experiments.translation --workdir=/tmp/horse2zebra \
      --config=experiments/configs/translation/cyclegan_horse2zebra.py
  python -m experiments.translation --workdir=/tmp/horse2zebra --mode=translate
  python -m experiments.evaluate --workdir=/tmp/horse2zebra --metrics=fid,kid \
      --num_samples=120 --kid_subset_size=100 --inception_weights=inception.npz \
      --ref_split=test
An epoch is one pass over the horses (domain A). The paper reports no FID for horse2zebra;
MMGeneration's evaluation of the authors' released model: FID 62.1 horse -> zebra (77.2
trained without the identity loss; open-mmlab/mmediting, configs/cyclegan/README.md). Not yet
measured here (no download and no accelerator in this environment).
"""
from experiments.configs import default
from experiments.configs.translation import common

EPOCH = 1067     # trainA images, one per step


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name, config.data.image_size = 'cycle_gan/horse2zebra', 256
  config.data.random_flip = True
  config.model = common.model_config(kind='cyclegan', jitter_size=286,
                                     patch=dict(receptive_field=70))
  num_steps = 200 * EPOCH
  common.adam(config, schedule='linear')
  default.set_schedule(config, num_steps=num_steps, batch_size=1, log_every=EPOCH,
                       every=10 * EPOCH)
  config.eval.num_examples, config.eval.batch_size = 0, 1
  config = default.apply_variant(config, variant, smoke=dict(common.SMOKE, jitter_size=36))
  if variant == 'smoke':
    config.data.image_size = 32
  for o in (config.train.optimizer, config.model.d_optimizer):
    o.hold_steps = config.train.num_steps // 2
  return config
