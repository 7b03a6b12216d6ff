"""The flow model section shared by every flow baseline, and the two run templates."""
import ml_collections

from experiments.configs import default


def model_config(**overrides) -> ml_collections.ConfigDict:
  model = ml_collections.ConfigDict(dict(
      kind='realnvp',           # nice | realnvp | glow | maf | iaf | cnf
      num_layers=8,             # vectors (and NICE): couplings / glow steps / MAF layers / CNFs
      hidden=(64, 64),          # MLP widths: vector couplings, NICE, MADE, CNF dynamics
      channels=64,              # images: conv width of each coupling's network
      num_blocks=0,             # images: residual blocks per coupling net (RealNVP); 0 = Glow's
      num_scales=2,             # images (realnvp, glow): levels; one squeeze each but
                                # RealNVP's last
      steps_per_scale=3,        # images: RealNVP couplings per half-scale / Glow's K
      act='relu',
      lu=True,                  # glow: LU-decomposed invertible 1x1 convolution
      prior='gaussian',         # gaussian | logistic (NICE)
      logit=False,              # images in [0, 1] (data.scale='zero_one') -> logit space
      logit_alpha=0.05,         # logit(alpha + (1 - 2 alpha) x)
      dequantization='uniform',  # uniform (data.dequantize=True) | variational (learned)
      dequant_channels=16,      # variational dequantization net width
      ode_time=1.0,             # cnf: integration time T
      ode_steps=8,              # cnf: RK4 steps
      trace='hutchinson',       # cnf training: hutchinson | exact (evaluation is exact)
  ))
  model.update(overrides)
  return model


SMOKE = dict(num_layers=2, hidden=(8,), channels=4, num_blocks=0, num_scales=1,
             steps_per_scale=1, dequant_channels=4, ode_steps=2)


def toy2d_config(variant: str, **model) -> ml_collections.ConfigDict:
  """A flow on the 2-D `moons` toy (--config.data.name for the others): about a minute."""
  config = default.get_config()
  config.data.name = 'moons'
  config.model = model_config(**model)
  default.set_schedule(config, num_steps=3000, batch_size=256, log_every=250, every=1500)
  config.train.ema_decay = 0.99
  return default.apply_variant(config, variant, smoke=dict(SMOKE))


def image_config(variant: str, data: dict, *, num_steps: int, optimizer: dict,
                 batch_size: int = 64, every: int = 10_000,
                 **model) -> ml_collections.ConfigDict:
  """A flow on 8-bit images: `data` overrides config.data (dequantized by default); the
  whole test split is evaluated."""
  config = default.get_config()
  config.data.update({'dequantize': True, **data})
  config.model = model_config(**model)
  default.set_schedule(config, num_steps=num_steps, batch_size=batch_size,
                       log_every=min(1000, every // 6), every=every)
  config.train.optimizer.update(optimizer)
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(SMOKE))
