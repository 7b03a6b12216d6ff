"""The VQ-VAE model section shared by every VQ-VAE baseline."""
import ml_collections


def model_config(**overrides) -> ml_collections.ConfigDict:
  model = ml_collections.ConfigDict(dict(
      channels=(256, 256),      # one stride-2 4x4 conv per entry (the paper: 2 levels of 256)
      num_res_blocks=2,         # residual blocks after the encoder / before the decoder convs
      res_channels=256,         # width of each block's 3x3 conv
      act='relu',
      num_codes=512,            # K
      code_dim=64,              # D
      commitment_cost=0.25,     # beta
      ema_codebook=False,       # True: EMA codebook in model_state, no codebook loss
      codebook_decay=0.99,      # EMA decay of the cluster sizes and sums
      codebook_epsilon=1e-5,    # Laplace smoothing of the EMA cluster sizes
      dead_code_threshold=0.0,  # EMA only: restart codes chosen less often per batch; 0 = off
      prior_workdir='',         # a trained prior over this run's codes (autoregressive
                                # vqvae_prior_*.py); then samples come from it
  ))
  model.update(overrides)
  return model
