"""A family's module-level functions bound into the trainer's `Model`."""
import functools
from types import ModuleType
from typing import Any, Callable, Mapping, Sequence

import optax

from gdm.train.model import Model
from gdm.train.players import Player


def bind_model(functions: ModuleType, built: Any, players: Sequence[Player],
               modes: Mapping[str, Callable] | None = None, **extra) -> Model:
  """`functions` (a family.py) defines init, evaluate, sample and visualize, each taking
  `built` (what its `build` made) first, as do the `modes`; `extra` are further Model fields
  (check_params)."""
  bind = functools.partial
  return Model(init=bind(functions.init, built), players=tuple(players),
               evaluate=bind(functions.evaluate, built), sample=bind(functions.sample, built),
               visualize=bind(functions.visualize, built),
               modes={name: bind(fn, built) for name, fn in (modes or {}).items()}, **extra)


def one_player_model(functions: ModuleType, built: Any, optimizer: optax.GradientTransformation,
                     modes: Mapping[str, Callable] | None = None, **extra) -> Model:
  """bind_model with one player, 'model', whose loss is `functions.loss`."""
  player = Player('model', functools.partial(functions.loss, built), optimizer)
  return bind_model(functions, built, (player,), modes, **extra)
