"""A one-player family's module-level functions bound into the trainer's `Model`."""
import functools
from types import ModuleType
from typing import Any, Callable, Mapping

import optax

from gdm.train.model import Model
from gdm.train.players import Player


def one_player_model(functions: ModuleType, built: Any, optimizer: optax.GradientTransformation,
                     modes: Mapping[str, Callable] | None = None) -> Model:
  """`functions` (a family.py) defines init, loss, evaluate, sample and visualize, each taking
  `built` (what its `build` made) first, as do the `modes`; the one player is 'model'."""
  bind = functools.partial
  return Model(init=bind(functions.init, built),
               players=(Player('model', bind(functions.loss, built), optimizer),),
               evaluate=bind(functions.evaluate, built), sample=bind(functions.sample, built),
               visualize=bind(functions.visualize, built),
               modes={name: bind(fn, built) for name, fn in (modes or {}).items()})
