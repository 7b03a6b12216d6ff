"""RealNVP (8 affine couplings, MLP 64-64) on the 2-D `moons` toy (no download): the
default flow config, trains in about a minute on CPU.
  python -m experiments.flow --workdir=/tmp/flow_moons \
      --config=experiments/configs/flow/realnvp_moons.py
No paper number (the 2-D toys are shown as pictures in the flow papers); samples and the
batch mapped to the latent (should look like N(0, I)) are in WORKDIR/samples.
Measured here: eval/nll 2.410 nats on 1,024 test points after 3000 steps (127 s on two
shared CPU cores).
The correlated `gaussian` toy has a known answer, its entropy 2.548 nats
(gdm.data.toy.GAUSSIAN_ENTROPY); the true density scores 2.565 nats on its 10,000 test points:
  python -m experiments.flow --workdir=/tmp/flow_gaussian \
      --config=experiments/configs/flow/realnvp_moons.py --config.data.name=gaussian \
      --config.eval.num_examples=0
Measured here: eval/nll 2.5651 after 3000 steps (200 s on two shared CPU cores).
"""
from experiments.configs.flow import common


def get_config(variant: str = ''):
  return common.toy2d_config(variant, kind='realnvp', num_layers=8, hidden=(64, 64))
