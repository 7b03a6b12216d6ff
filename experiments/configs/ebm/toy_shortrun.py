"""MLP energy on the 2-D two-moons toy (no download) with short-run non-persistent MCMC
(Nijkamp et al., 2019): no replay buffer, every train step runs `sgld.steps` of Langevin
dynamics from uniform noise, and samples are drawn the same way. The step (0.05) is five
times the persistent toy's: a chain has only these 50 steps to travel from the box to the data.
The short chains are the model (non-convergent MCMC by design), so they keep the IGEBM-style
noise set apart from the step (model.sgld.kind='decoupled', 0.1 at step 0.05) and alpha 0.1:
samples are the chains' end points, not draws of exp(-E).
  python -m experiments.ebm --workdir=/tmp/ebm_moons_shortrun \
      --config=experiments/configs/ebm/toy_shortrun.py
No paper number for this toy. Measured here (2000 steps, 97 s on 2 shared CPU cores): 99% of
1000 samples lie within 0.3 of a test point (median distance 0.035; 66% with step 0.01,
whose chains stall near the box edges); `--mode=ood` AUROC against uniform noise 0.92.
"""
from experiments.configs import default
from experiments.configs.ebm import common


def get_config(variant: str = ''):
  config = common.toy_setup(default.get_config(), 'moons', alpha=0.1,
                            sgld=dict(kind='decoupled', steps=50, step_size=0.05,
                                      noise_scale=0.1),
                            buffer=dict(size=0), sampling=dict(steps=0))
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE, buffer=dict(size=0)))
