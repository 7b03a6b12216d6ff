"""The classifier's launcher modes (`--mode=NAME`): mode(clf, params, model_state, batch, key)
-> {name: array} on a prepared evaluation batch. `features` is also what
gdm.train.feature_extractors reads (through restore_run) for `--features=domain`: keep its
output names."""
from gdm.models.classifier import family


def features(clf, params, model_state, batch, key):
  """`--mode=features`: the domain features and logits of an evaluation batch."""
  x = batch['x']
  return {'features': family.features(clf, params, x), 'logits': family.logits(clf, params, x)}


MODES = {'features': features}
