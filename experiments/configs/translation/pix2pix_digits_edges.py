"""pix2pix on embedded data (the family default): digit outlines -> digits, 16x16.
  python -m experiments.translation --workdir=/tmp/p2p_edges
  python -m experiments.translation --workdir=/tmp/p2p_edges --mode=translate
  python -m experiments.evaluate --workdir=/tmp/p2p_edges --features=raw --metrics=fid,kid \
      --num_samples=297 --kid_subset_size=100 --kid_subsets=20
The paper's objective and optimisation (cGAN + 100 L1, Adam 2e-4 / 0.5, dropout noise, batch
norm with test-batch statistics) on nets sized for 16x16: a 4-level U-Net (16 -> 1) and the
16x16 PatchGAN. No paper number exists for this task (it is gdm's own, from scikit-learn's
digits); its metrics after a short CPU run beside the identity and nearest-neighbour
baselines are in benchmarks/RESULTS.md ("Image-to-image translation").
"""
from experiments.configs import default
from experiments.configs.translation import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name, config.data.image_size = 'digits_edges', 16
  config.model = common.model_config(
      kind='pix2pix', patch=dict(receptive_field=16, channels=32),
      pix2pix=dict(channels=(32, 64, 128, 128)))
  common.adam(config)
  default.set_schedule(config, num_steps=2000, batch_size=32, log_every=100, every=500)
  config.eval.num_examples, config.eval.batch_size = 0, 297
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
