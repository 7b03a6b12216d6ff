"""The audio model section shared by every audio baseline: the defaults of
gdm.models.audio.config.AudioConfig with a baseline's overrides, checked; WaveNet keys sit in
`wavenet`: model_config(wavenet=dict(channels=...))."""
from experiments.configs import default
from gdm.models.audio.config import AudioConfig


def model_config(**overrides):
  return default.model_section(AudioConfig, **overrides)


# A tiny WaveNet for the smoke variants.
SMOKE = dict(wavenet=dict(channels=8, skip_channels=8, head_channels=8, layers_per_stack=3,
                          stacks=1), num_mixtures=2)


def apply_variant(config, variant: str, smoke_length: int = 64):
  """default.apply_variant with SMOKE; the smoke variant also cuts clips to `smoke_length`
  samples and draws its few samples once, at the end."""
  config = default.apply_variant(config, variant, smoke=dict(SMOKE))
  if variant == 'smoke':
    config.train.sample_every = 0
    config.sample.num_samples = 4
    config.data.audio.length = smoke_length
  return config
