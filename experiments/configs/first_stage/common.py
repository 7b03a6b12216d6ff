"""The first-stage model section shared by every first-stage baseline: the defaults of
gdm.models.first_stage.config.FirstStageConfig with a baseline's overrides, checked; and the
tiny nets of the smoke variants."""
from experiments.configs import default
from gdm.models.first_stage.config import FirstStageConfig


def model_config(**overrides):
  return default.model_section(FirstStageConfig, **overrides)


# The tiny variant: narrow nets, a small codebook and discriminator.
SMOKE = dict(channels=(8, 16), num_res_blocks=1, res_channels=8, vq=dict(num_codes=16),
             adversarial=dict(channels=(8, 16)))


def smoke(**overrides) -> dict:
  """SMOKE with `overrides` merged into its sections."""
  out = dict(SMOKE)
  for key, value in overrides.items():
    out[key] = {**out[key], **value} if isinstance(out.get(key), dict) else value
  return out
