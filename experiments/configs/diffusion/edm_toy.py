"""EDM (Karras et al., 2022) on the 2-D eight-Gaussians toy (no download): an MLP denoiser
behind EDM's preconditioning (sigma_data = 2, about the data's per-coordinate std), log-normal
training sigmas, and the deterministic 18-step Heun sampler (35 network calls) on the rho = 7
grid from sigma_max = 80 to sigma_min = 0.002.
  python -m experiments.diffusion --workdir=/tmp/edm_toy \
      --config=experiments/configs/diffusion/edm_toy.py
  python -m experiments.diffusion --workdir=/tmp/edm_toy \
      --config=experiments/configs/diffusion/edm_toy.py --mode=sample
No paper number for this toy. Measured here (seed 0; training took 34 s on a shared 2-core
CPU, sampling 1024 points a few seconds), on samples/samples_5000.npz:
  python -c "import numpy as np; from gdm.data import toy; from gdm.metrics import \
      mode_coverage as mc; x = np.load('/tmp/edm_toy/samples/samples_5000.npz')['x']; \
      print(mc.coverage(x, toy.EIGHT_GAUSSIANS_CENTERS, toy.EIGHT_GAUSSIANS_STD))"
  8 of 8 modes covered, 97.4% of samples high quality (within 3 std of a centre), 117-149
  samples per mode (128 expected); the high-quality samples' per-coordinate std around their
  centre 0.354 / 0.337 (the data's: 0.354); overall std 2.09 / 2.05 (the data's: 2.03).
"""
from experiments.configs import default
from experiments.configs.diffusion import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'eight_gaussians'
  config.model = common.model_config(process='edm', net='mlp', mlp=dict(hidden=(128, 128, 128)),
                                     edm=dict(sigma_data=2.0), sampler='heun', sample_steps=18)
  default.set_schedule(config, num_steps=5000, batch_size=256, log_every=250, every=2500)
  config.train.optimizer.learning_rate = 1e-3
  config.train.ema_decay = 0.999
  config.sample.num_samples = 1024
  return default.apply_variant(config, variant, smoke=common.smoke(config.model))
