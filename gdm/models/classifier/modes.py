"""The classifier's launcher modes (`--mode=NAME`): mode(clf, params, model_state, batch, key)
-> {name: array} on a prepared evaluation batch. `features` is also what
gdm.train.feature_extractors reads (through restore_run) for `--features=domain`: keep its
output names (it takes only `features` and `logits`, so under jit the picture costs nothing
there)."""
import jax
import jax.numpy as jnp

from gdm.models.classifier import family
from gdm.train.pictures import class_labels
from gdm.utils.captions import GridLabels

GRID_COLS = 8


def by_class(x, predicted, num_classes: int, cols: int = GRID_COLS):
  """[num_classes, cols, ...]: row k holds the first `cols` inputs predicted as class k, in
  batch order, and the batch's lowest value (black) where fewer were."""

  def row(k):
    order = jnp.argsort(predicted != k, stable=True)[:cols]   # class k first, in order
    hit = (predicted[order] == k).reshape((-1,) + (1,) * (x.ndim - 1))
    return jnp.where(hit, x[order], x.min())

  return jax.vmap(row)(jnp.arange(num_classes))


def features(clf, params, model_state, batch, key):
  """`--mode=features`: the domain features and logits of an evaluation batch, and its
  inputs by predicted class (the picture)."""
  x = batch['x']
  logits = family.logits(clf, params, x)
  return {'features': family.features(clf, params, x), 'logits': logits,
          'by_class': by_class(x, logits.argmax(-1), logits.shape[-1])}


MODES = {'features': features}


def captions(clf) -> dict[str, GridLabels]:
  return {'features/by_class': GridLabels(rows=class_labels(clf.info.num_classes),
                                          title='by predicted class')}
