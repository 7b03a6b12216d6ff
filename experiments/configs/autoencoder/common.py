"""The autoencoder model section shared by every autoencoder baseline."""
import ml_collections


def model_config(**overrides) -> ml_collections.ConfigDict:
  model = ml_collections.ConfigDict(dict(
      kind='mlp',               # mlp | conv | stacked
      hidden=(256, 128),        # mlp/stacked widths from the input side
      channels=(32, 64),        # conv: one stride-2 level per entry
      latent_dim=16,
      act='relu',
      loss='mse',               # mse (any data) | bce (data in [0, 1])
      corruption='none',        # none | gaussian | masking | salt_and_pepper (denoising AE)
      noise_level=0.0,          # gaussian: std; masking / salt_and_pepper: fraction
      stage_steps=0,            # stacked: steps per greedy stage; 0 = split num_steps evenly
      finetune=True,            # stacked: end-to-end stage after the greedy ones
  ))
  model.update(overrides)
  return model
