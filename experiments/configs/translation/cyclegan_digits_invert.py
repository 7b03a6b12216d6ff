"""CycleGAN on embedded data: digits <-> inverted digits (unpaired), 16x16.
  python -m experiments.translation --workdir=/tmp/cyclegan_invert \
      --config=experiments/configs/translation/cyclegan_digits_invert.py
  python -m experiments.translation --workdir=/tmp/cyclegan_invert \
      --config=experiments/configs/translation/cyclegan_digits_invert.py --mode=translate
  python -m experiments.evaluate --workdir=/tmp/cyclegan_invert --features=raw \
      --metrics=fid,kid --num_samples=297 --kid_subset_size=100 --kid_subsets=20
The training domains hold disjoint halves of the digits (no A image has its inverse in B);
in the test split B is A inverted, so the true mapping of every held-out digit is known and
--mode=translate's outputs can be scored against it (`targets`). The paper's objective (LSGAN,
cycle lambda 10, identity 0.5 lambda, 50-image history buffers, Adam 2e-4 / 0.5, constant
learning rate for the first half then linear decay to 0) on nets sized for 16x16: ResNet
generators of 16 channels with 3 residual blocks, 16x16 PatchGANs. No paper number exists for
this task (gdm's own); its metrics after a short CPU run beside the identity and
nearest-neighbour baselines are in benchmarks/RESULTS.md ("Image-to-image translation").
"""
from experiments.configs import default
from experiments.configs.translation import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name, config.data.image_size = 'digits_invert', 16
  config.model = common.model_config(
      kind='cyclegan', patch=dict(receptive_field=16, channels=32),
      cyclegan=dict(channels=16, num_blocks=3))
  num_steps = 2000
  common.adam(config, schedule='linear')   # held for the first half: below
  default.set_schedule(config, num_steps=num_steps, batch_size=16, log_every=100, every=500)
  config.eval.num_examples, config.eval.batch_size = 0, 297
  config = default.apply_variant(config, variant, smoke=dict(common.SMOKE))
  for o in (config.train.optimizer, config.model.d_optimizer):
    o.hold_steps = config.train.num_steps // 2
  return config
