"""The contract between a model family and the trainer: a `Model` of players and functions,
and a `Family` that builds one from a checked config."""
import dataclasses
from typing import Any, Callable, Mapping

import jax

from gdm.data.source import DatasetInfo
from gdm.train.config import RunConfig, parse_run
from gdm.train.players import Player
from gdm.utils.captions import GridLabels

Pytree = Any


@dataclasses.dataclass(frozen=True)
class Model:
  # init(key, batch) -> ({player name: params}, model_state); `batch` is a prepared batch,
  # so data-dependent initialisation (e.g. actnorm) can use it.
  init: Callable[[jax.Array, dict], tuple[dict, Pytree]]
  players: tuple[Player, ...]
  # evaluate(params, model_state, batch, key) -> {name: per-example values [B]}; the
  # loop averages them over the evaluation set.
  evaluate: Callable[[dict, Pytree, dict, jax.Array], dict[str, jax.Array]]
  # sample(params, model_state, key, num, reference_batch) -> samples in data space.
  sample: Callable[[dict, Pytree, jax.Array, int, dict], jax.Array]
  # visualize(params, model_state, batch, key) -> {name: array}: images as
  # [rows, cols, H, W, C] grids in data space, vectors as [N, D] point clouds. The trainer
  # adds a 'samples' grid of `sample`'s output unless visualize returns one.
  visualize: Callable[[dict, Pytree, dict, jax.Array], dict[str, jax.Array]]
  # Extra launcher modes (`--mode=NAME`), e.g. interpolate or impute:
  # mode(params, model_state, batch, key) -> {name: array}. The launcher runs it on a
  # prepared evaluation batch with the EMA params and saves WORKDIR/samples/NAME_<step>.npz
  # plus a PNG per array that is a picture (gdm.train.pictures.array_picture: images,
  # [rows, cols, H, W, C] grids, point clouds, code maps); every mode returns at least one.
  modes: Mapping[str, Callable[[dict, Pytree, dict, jax.Array], dict[str, jax.Array]]] = (
      dataclasses.field(default_factory=dict))
  # check_params(params) -> None, on host: raises a one-line ValueError naming a broken
  # parameter (e.g. a singular invertible layer) that would otherwise only show as non-finite
  # values. Called when training stops on non-finite updates, and before eval/sample modes.
  check_params: Callable[[dict], None] | None = None
  # Labels of the pictures (gdm.train.pictures): keyed by a `visualize` picture's name,
  # 'samples' (the evaluator's sample grid), 'sample/x' (--mode=sample) or 'MODE/ARRAY'.
  captions: Mapping[str, GridLabels] = dataclasses.field(default_factory=dict)
  # translate(params, model_state, batch, key) -> outputs in data space for the prepared
  # batch's `x` (image-to-image models; None for others). Sample metrics then score the
  # translations of the evaluation split against the target images `y`, not `sample`.
  translate: Callable[[dict, Pytree, dict, jax.Array], jax.Array] | None = None


@dataclasses.dataclass(frozen=True)
class Family:
  """A model family: the dataclass of its `model` config section and its builder.
  `make(run, info)` gets the parsed RunConfig (`run.model` an instance of `config`) and the
  dataset's description; it may raise one-line ValueErrors about the pair."""
  name: str
  config: type | None
  make: Callable[[Any, DatasetInfo], Model]

  def model(self, config, info: DatasetInfo) -> Model:
    """The Model for a config (a ConfigDict / mapping, or an already parsed RunConfig)."""
    run = config if isinstance(config, RunConfig) else parse_run(config, self.config)
    return self.make(run, info)
