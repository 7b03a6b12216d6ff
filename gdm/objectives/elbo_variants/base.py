"""What an ELBO variant is, and what it sees.

The VAE encodes a batch into q(z|x) = N(mean, diag(exp(log_var))), draws the latent sample(s)
once (`num_samples`: 0 = one sample z [B, D] from the step's key, k = k samples [k, B, D],
sample i from fold_in(key, i)) and hands the whole minibatch to the variant's `loss`, so an
objective that needs the aggregate posterior of the batch (beta-TCVAE) fits as well as a
per-example one (ELBO, IWAE).
"""
import dataclasses
from typing import Any, Callable

import jax


@dataclasses.dataclass(frozen=True)
class Context:
  """Plain settings from outside the variant's own section that a variant may need."""
  kl: str = 'analytic'        # model.kl: the ELBO's KL estimator, analytic | mc
  dataset_size: int = 0       # N, training examples (DatasetInfo.num_examples; 0 = unknown)
  batch_size: int = 0         # train.batch_size: the (global) minibatch the loss sees


@dataclasses.dataclass(frozen=True)
class Latents:
  """One training minibatch as the variant sees it (arrays are float32)."""
  mean: jax.Array             # [B, D] of q(z|x)
  log_var: jax.Array          # [B, D]
  z: jax.Array                # [B, D], or [k, B, D] where the variant asks for k samples
  log_likelihood: Callable    # z [B, D] -> log p(x|z) [B], the decoder's
  step: jax.Array             # the train step (warm-ups)


def one_sample(cfg) -> int:
  return 0


def no_check(cfg, ctx: Context):
  return None


@dataclasses.dataclass(frozen=True)
class Variant:
  name: str                   # model.objective value; its settings are the section model.<name>
  title: str                  # what it trains, for messages ('the IWAE bound')
  config: type                # its @section dataclass
  loss: Callable[[Any, Context, Latents], tuple[jax.Array, dict]]   # -> (scalar, metrics)
  num_samples: Callable[[Any], int] = one_sample
  check: Callable[[Any, Context], None] = no_check   # one-line ValueErrors, before compiling
