"""The VAE model section shared by every VAE baseline."""
import ml_collections


def model_config(**overrides) -> ml_collections.ConfigDict:
  model = ml_collections.ConfigDict(dict(
      kind='mlp',               # mlp | conv
      hidden=(512, 256),        # mlp widths from the data side (the decoder mirrors them)
      channels=(32, 64),        # conv: one stride-2 level per entry
      latent_dim=16,
      act='relu',
      decoder='bernoulli',      # bernoulli (binarized data) | gaussian | discretized_logistic
      variance='global',        # gaussian: fixed | global | per_dim (learned log std)
      fixed_std=1.0,            # gaussian with variance='fixed'
      num_mixtures=10,          # discretized_logistic: logistics per subpixel
      kl='analytic',            # analytic | mc (single-sample log q - log p)
      beta=1.0,                 # KL weight (beta-VAE: > 1)
      warmup_steps=0,           # KL weight ramps linearly from 0 to beta; 0 = off
      free_bits=0.0,            # nats per latent dim the KL is floored at; 0 = off
      k=1,                      # training samples: 1 = ELBO, > 1 = IWAE bound
      eval_k=100,               # importance samples for eval/nll (IWAE estimate)
      eval_chunk=100,           # eval/nll draws this many samples at a time (memory)
      conditional=False,        # one-hot class label into encoder and decoder
      impute_steps=20,          # --mode=impute: encode/decode iterations
  ))
  model.update(overrides)
  return model


SMOKE = dict(hidden=(16,), channels=(8, 16), latent_dim=4, eval_k=4, eval_chunk=2,
             num_mixtures=2, impute_steps=2)
