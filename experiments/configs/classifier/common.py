"""The classifier model section shared by the domain-feature classifiers: the defaults of
gdm.models.classifier.config.ClassifierConfig with a baseline's overrides, checked."""
from experiments.configs import default
from gdm.models.classifier.config import ClassifierConfig


def model_config(**overrides):
  return default.model_section(ClassifierConfig, **overrides)
