"""The classifier model section shared by the domain-feature classifiers."""
import ml_collections


def model_config(**overrides) -> ml_collections.ConfigDict:
  model = ml_collections.ConfigDict(dict(
      kind='mlp',          # mlp | conv
      hidden=(256,),       # mlp widths before the feature layer
      channels=(32, 64),   # conv: one stride-2 level per entry
      feature_dim=64,      # the domain features: penultimate activations
      act='relu',
  ))
  model.update(overrides)
  return model
