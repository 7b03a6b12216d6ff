"""Domain-feature classifiers (for FID/KID where Inception features mean little).

config.py  the `model` section (ClassifierConfig) and its checks against the data
nets.py    the feature network (MLP or convolutional encoder)
family.py  the model's functions: features, logits, loss, evaluation
modes.py   the launcher's extra modes (features, read by --features=domain)
Here they are bound into the trainer's `Model`, one player.
"""
from gdm.models.binding import one_player_model
from gdm.models.classifier import family, modes
from gdm.models.classifier.config import ClassifierConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer


def make(run: RunConfig, info) -> Model:
  clf = family.build(run, info)
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  return one_player_model(family, clf, optimizer, modes.MODES, captions=modes.captions(clf))


FAMILY = Family('classifier', ClassifierConfig, make)
