"""MLP energy on the 2-D eight-Gaussians toy (no download), trained by contrastive
divergence with persistent SGLD chains in a replay buffer; the default config.
  python -m experiments.ebm --workdir=/tmp/ebm_toy
  python -m experiments.ebm --workdir=/tmp/ebm_toy --mode=ood      (or denoise, inpaint)
Class-conditional (the eight components are the labels), then samples per component:
  python -m experiments.ebm --workdir=/tmp/ebm_toy_cond --config.model.conditional=True
  python -m experiments.ebm --workdir=/tmp/ebm_toy_cond --config.model.conditional=True \
      --mode=conditional
No paper number for this toy. Measured here (2000 steps, 72 s on 2 shared CPU cores): 96.5%
of 1000 samples (200 SGLD steps from noise) within 3 std of a mixture centre, all 8 modes
hit (101 to 150 samples each); `--mode=ood` AUROC of data against uniform noise on
[-4, 4]^2 0.90 (noise that lands on a mode is in-distribution, so 1 is out of reach).
"""
from experiments.configs import default
from experiments.configs.ebm import common


def get_config(variant: str = ''):
  config = common.toy_setup(default.get_config(), 'eight_gaussians', sgld=dict(steps=20),
                            buffer=dict(size=10_000), sampling=dict(steps=200))
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
