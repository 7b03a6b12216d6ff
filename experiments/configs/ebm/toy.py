"""MLP energy on the 2-D eight-Gaussians toy (no download), trained by contrastive
divergence with persistent Langevin chains in a replay buffer; the default config.
  python -m experiments.ebm --workdir=/tmp/ebm_toy
  python -m experiments.ebm --workdir=/tmp/ebm_toy --mode=sample   (or ood, denoise, inpaint)
Class-conditional (the eight components are the labels), then samples per component:
  python -m experiments.ebm --workdir=/tmp/ebm_toy_cond --config.model.conditional=True
  python -m experiments.ebm --workdir=/tmp/ebm_toy_cond --config.model.conditional=True \
      --mode=conditional
The chains sample exp(-E): Langevin steps of 0.01 with noise sqrt(0.02), 1024 persistent
chains (each advanced 20 steps about every 8 train steps, restarted from noise with
probability 1% a visit, so most are thousands of steps old), alpha=0.01, and samples after
1000 steps from uniform noise (experiments/configs/ebm/common.py: TOY).
No paper number for this toy. Measured here (2000 steps, 77 s on 2 CPU cores shared with
other jobs): 97.3% of 1000 samples within 3 std of a mixture centre, all 8 modes hit (88 to
156 samples each); `--mode=ood` AUROC of data against uniform noise on [-4, 4]^2 0.90 (noise
that lands on a mode is in-distribution, so 1 is out of reach). Trained on the `gaussian`
toy (--config.data.name=gaussian, covariance [[2, 1.2], [1.2, 1]]), 4000 samples of
`--mode=sample`: mean error 0.010, covariance [[1.96, 1.18], [1.18, 0.99]] (max abs error / 2:
0.020; seed 1: 0.046). The recipe before (noise 0.1 at step 0.01, alpha 0.1, 10,000 chains
with 5% restarts, 200 sampling steps) gave [[3.78, 0.06], [0.06, 3.00]]: see
benchmarks/RESULTS.md (EBM samples) for why.
"""
from experiments.configs import default
from experiments.configs.ebm import common


def get_config(variant: str = ''):
  config = common.toy_setup(default.get_config(), 'eight_gaussians', sgld=dict(steps=20))
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
