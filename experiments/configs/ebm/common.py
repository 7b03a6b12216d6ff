"""The EBM model section shared by every EBM baseline, and the toy and image recipes."""
import ml_collections

from experiments.configs import default


def model_config(**overrides) -> ml_collections.ConfigDict:
  model = ml_collections.ConfigDict(dict(
      net='mlp',                # mlp (vectors) | resnet (images)
      hidden=(128, 128, 128),   # mlp widths
      channels=(64, 128, 256),  # resnet: one resolution level per entry
      blocks=1,                 # resnet: residual blocks per level
      act='silu',               # smooth, so Langevin gradients are informative
      spectral_norm=False,      # spectral normalisation of every kernel
      conditional=False,        # one energy per class: E(x, y)
      alpha=1.0,                # L2 energy regulariser alpha * (E_data^2 + E_neg^2)
      sgld_steps=20,            # Langevin steps per train step (and for eval negatives)
      step_size=0.01,           # x <- x - step_size * grad E + noise_scale * N(0, I)
      noise_scale=0.1,
      grad_clip=0.0,            # max L2 norm of each example's energy gradient; 0 = off
      sgld_unroll=1,            # unroll of the SGLD loop; on XLA:CPU conv energies ran
                                # ~5x faster fully unrolled (= sgld_steps), compiling longer
      buffer_size=10_000,       # replay buffer of past negatives; 0 = short-run from noise
      reinit_share=0.05,        # chains restarted from uniform noise each step
      noise_range=4.0,          # vectors: chains start in and stay in [-r, r]^D
      sample_steps=0,           # SGLD steps for samples from noise; 0 = sgld_steps
      sample_init='noise',      # noise (fresh chains) | buffer (stored negatives)
      restore_steps=100,        # --mode=denoise / inpaint: energy-descent steps
      restore_noise=0.0,        # ... and their noise scale (0 = plain gradient descent)
      corrupt_std=0.3,          # --mode=denoise: std of the added Gaussian noise
  ))
  model.update(overrides)
  return model


SMOKE = dict(hidden=(16,), channels=(8,), blocks=1, sgld_steps=2, buffer_size=64, sample_steps=2,
             restore_steps=2)


def toy_setup(config: ml_collections.ConfigDict, data: str, **model) -> ml_collections.ConfigDict:
  """The 2-D toys: an MLP energy, SGLD with noise 0.1 (= sqrt(2 * step) at step 0.005, the
  Langevin scaling), 2000 steps."""
  config.data.name = data
  config.model = model_config(**{**dict(net='mlp', hidden=(128, 128, 128), step_size=0.01,
                                        noise_scale=0.1, alpha=0.1), **model})
  default.set_schedule(config, num_steps=2000, batch_size=128, log_every=100, every=1000)
  config.train.ema_decay = 0.99
  config.train.optimizer.b1 = 0.0
  return config


def image_setup(config: ml_collections.ConfigDict, data: str, **model) -> ml_collections.ConfigDict:
  """Du & Mordatch's (2019) image recipe: spectrally normalised ResNet energy, 60 SGLD steps
  of size 10 with noise 0.005, a 10,000-entry replay buffer with 5% restarts, alpha=1,
  Adam(lr 1e-4, b1=0); samples from the buffer."""
  config.data.name = data
  config.model = model_config(net='resnet', spectral_norm=True, sgld_steps=60, step_size=10.0,
                              noise_scale=0.005, buffer_size=10_000, reinit_share=0.05,
                              alpha=1.0, sample_init='buffer', restore_steps=60, **model)
  config.train.optimizer.learning_rate = 1e-4
  config.train.optimizer.b1 = 0.0
  config.eval.num_examples = 1024
  return config
