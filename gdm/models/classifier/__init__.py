"""Domain-feature classifiers (for FID/KID where Inception features mean little).

config.py  the `model` section (ClassifierConfig) and its checks against the data
nets.py    the feature network (MLP or convolutional encoder)
family.py  the model's functions: features, logits, loss, evaluation
modes.py   the launcher's extra modes (features, read by --features=domain)
Here they are bound into the trainer's `Model`, one player.
"""
import functools

from gdm.models.classifier import family, modes
from gdm.models.classifier.config import ClassifierConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer
from gdm.train.players import Player


def make(run: RunConfig, info) -> Model:
  clf = family.build(run, info)
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  bind = functools.partial
  return Model(init=bind(family.init, clf),
               players=(Player('model', bind(family.loss, clf), optimizer),),
               evaluate=bind(family.evaluate, clf), sample=bind(family.sample, clf),
               visualize=bind(family.visualize, clf),
               modes={name: bind(fn, clf) for name, fn in modes.MODES.items()})


FAMILY = Family('classifier', ClassifierConfig, make)
