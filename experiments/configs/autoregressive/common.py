"""The autoregressive model section shared by every autoregressive baseline: the defaults of
gdm.models.autoregressive.config.AutoregressiveConfig with a baseline's overrides, checked.
Net-specific keys sit in the net's section: model_config(net='made', made=dict(hidden=...))."""
from experiments.configs import default
from gdm.models.autoregressive.config import AutoregressiveConfig


def model_config(**overrides):
  return default.model_section(AutoregressiveConfig, **overrides)


# Small nets of every kind, for the smoke variants.
SMOKE = dict(made=dict(hidden=(16,)), nade=dict(hidden=16),
             pixelcnn=dict(features=8, num_layers=1, first_kernel_size=3, head_features=8),
             gated_pixelcnn=dict(features=8, num_layers=1, kernel_size=3, first_kernel_size=3,
                                 head_features=8),
             pixelcnn_pp=dict(features=8, num_resnet=1, levels=2),
             image_transformer=dict(num_layers=2, features=8, num_heads=2, ff_features=16),
             num_mixtures=2)


def smoke(**overrides) -> dict:
  """SMOKE with `overrides`, merged into SMOKE's net sections rather than replacing them."""
  out = dict(SMOKE)
  for key, value in overrides.items():
    out[key] = {**out[key], **value} if isinstance(out.get(key), dict) else value
  return out


def apply_variant(config, variant: str, smoke_image_size: int = 8, **overrides):
  """default.apply_variant with SMOKE (updated by `overrides`). Sampling is a loop over every
  position, so the smoke variant also resizes images to `smoke_image_size` (0 = keep; toys)
  and draws its few samples once, at the end."""
  config = default.apply_variant(config, variant, smoke=smoke(**overrides))
  if variant == 'smoke':
    config.train.sample_every = 0
    config.sample.num_samples = 4
    if smoke_image_size:
      config.data.image_size = smoke_image_size
  return config
