"""Continuous normalizing flow (FFJORD, Grathwohl et al., 2019): one neural ODE with a
64-64-64 tanh dynamics net, RK4 with 8 steps over [0, 1], Hutchinson trace estimator for
training and the exact trace for evaluation, on the 2-D toys (`moons` here;
`--config.data.name=pinwheel`, checkerboard, eight_gaussians, ...: FFJORD's Fig. 2 toys).
  python -m experiments.flow --workdir=/tmp/cnf_moons \
      --config=experiments/configs/flow/cnf_toy2d.py
FFJORD uses an adaptive dopri5 solver; fixed-step RK4 keeps the cost fixed. No paper
number for the toys (pictures only).
The correlated `gaussian` toy has a known answer, its entropy 2.548 nats
(gdm.data.toy.GAUSSIAN_ENTROPY); the true density scores 2.565 nats on its 10,000 test points:
  python -m experiments.flow --workdir=/tmp/cnf_gaussian \
      --config=experiments/configs/flow/cnf_toy2d.py --config.data.name=gaussian \
      --config.eval.num_examples=0
Measured here with a smaller net and solver (`--config.model.hidden='(32, 32)'
--config.model.cnf.num_steps=4 --config.train.num_steps=2000`, default 1,024 eval points): eval/nll
2.5783 where the true density scores 2.5786 on those points (119 s on two shared CPU cores);
this file's own settings are not yet measured here.
"""
from experiments.configs.flow import common


def get_config(variant: str = ''):
  return common.toy2d_config(variant, kind='cnf', num_layers=1, hidden=(64, 64, 64),
                             act='tanh', cnf=dict(time=1.0, num_steps=8))
