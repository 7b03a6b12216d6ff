"""Players: the unit of optimisation in the generic train step.

A player owns one entry of the params dict, an optax optimizer and a loss. Likelihood,
ELBO and score objectives have one player; a GAN has two (discriminator first, with
`steps=n_critic`, then generator). Adding an objective means writing one loss function.

The loss signature is

    loss_fn(params, model_state, batch, key, step) -> (loss, (metrics, model_state))

where `params` is the dict of every player's params (gradients are taken only with respect
to `params[player.name]`), `model_state` holds non-trained collections such as batch-norm
statistics, `batch` is the prepared batch, `key` is unique to (step, player, update) and
`step` is the global step (for warm-ups). `Player.simple` adapts the common stateless form
`loss_fn(params, batch, key) -> (loss, metrics)`.

A player trains `params[player.entry]`: its own name unless `params` names another player's
entry. Players of one entry update it in turn and share its optimizer state, so they must
carry the same optimizer object (StyleGAN2's lazy regularisers: a second Adam update of the
discriminator every k steps with the moments of the main one, as the official code's
`share=` optimizers do).
"""
import dataclasses
from typing import Any, Callable

import jax
import optax

Pytree = Any
LossFn = Callable[..., tuple[jax.Array, tuple[dict, Pytree]]]


@dataclasses.dataclass(frozen=True)
class Player:
  name: str
  loss_fn: LossFn
  optimizer: optax.GradientTransformation
  steps: int = 1                                   # updates per train step (n_critic)
  active: Callable[[jax.Array], jax.Array] | None = None  # step -> bool; None = always
  params: str = ''                                 # the params entry it trains; '' = name

  def __post_init__(self):
    if self.steps < 1:
      raise ValueError(f'player {self.name!r}: steps={self.steps} must be >= 1')

  @property
  def entry(self) -> str:
    return self.params or self.name

  @classmethod
  def simple(cls, name: str, loss_fn: Callable, optimizer, **kwargs) -> 'Player':
    """A player whose loss sees only its own params: loss_fn(params, batch, key)."""

    def full_loss(params, model_state, batch, key, step):
      del step
      loss, metrics = loss_fn(params[name], batch, key)
      return loss, (metrics, model_state)

    return cls(name, full_loss, optimizer, **kwargs)


def optimizers_by_entry(players) -> dict[str, optax.GradientTransformation]:
  """{params entry: optimizer}; players sharing an entry must share the optimizer object."""
  out = {}
  for p in players:
    if out.setdefault(p.entry, p.optimizer) is not p.optimizer:
      raise ValueError(f'players training params {p.entry!r} must share one optimizer; '
                       f'{p.name!r} has its own')
  return out
