"""A GAN loss as a pair of per-example losses on the discriminator's raw scores (logits).

Both players' losses see the scores of the real and of the fake batch: relativistic losses
compare the two, so their generator needs D's real scores too. `g_uses_real` says whether it
does (the generator's step then runs D on the real batch as well; other losses skip that
pass). `threshold` is the score above which D calls an example real (its accuracy metric).
"""
import dataclasses
from typing import Callable

import jax
import jax.numpy as jnp

PerExample = Callable[[jax.Array | None, jax.Array], jax.Array]


@dataclasses.dataclass(frozen=True)
class LossPair:
  d_loss: PerExample            # (real scores [B], fake scores [B]) -> [B]
  g_loss: PerExample            # (real scores [B] or None, fake scores [B]) -> [B]
  threshold: float = 0.0
  g_uses_real: bool = False     # False: g_loss ignores the real scores (gets None)


def accuracy(threshold: float, real: jax.Array, fake: jax.Array) -> jax.Array:
  """Per-example share of the pair (real i, fake i) the discriminator gets right."""
  return 0.5 * ((real > threshold).astype(jnp.float32)
                + (fake <= threshold).astype(jnp.float32))


def pair_metrics(loss: LossPair, real, fake) -> dict:
  """Per example: D's loss on (real i, fake i) as `loss`, G's loss, the scores, D's accuracy."""
  return {'loss': loss.d_loss(real, fake), 'generator_loss': loss.g_loss(real, fake),
          'real_score': real, 'fake_score': fake, 'accuracy': accuracy(loss.threshold, real, fake)}
