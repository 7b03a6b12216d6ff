"""The classifier's `model` section (ClassifierConfig), and the checks that need the dataset.
Its keys are the autoencoder's where the two share a network (kind, hidden, channels, act)."""
from gdm.data.source import DatasetInfo
from gdm.nn.conv import check_conv_data
from gdm.nn.mlp import ACTIVATIONS
from gdm.utils.schema import choice, require, section

KINDS = ('mlp', 'conv')


@section
class ClassifierConfig:
  kind: str = 'mlp'                       # mlp | conv
  hidden: tuple[int, ...] = (256,)        # mlp widths before the feature layer
  channels: tuple[int, ...] = (32, 64)    # conv: one stride-2 level per entry
  feature_dim: int = 64                   # the domain features: penultimate activations
  act: str = 'relu'

  def __post_init__(self):
    choice(self.kind, KINDS, 'kind', 'classifier kind')
    choice(self.act, ACTIVATIONS, 'act', 'activation')
    require(self.feature_dim >= 1, 'feature_dim', self.feature_dim, 'must be >= 1')
    require(all(w > 0 for w in self.hidden + self.channels), 'hidden', self.hidden,
            'and model.channels must hold positive widths')


def check(m: ClassifierConfig, info: DatasetInfo):
  """What the model section asks of the data (one-line errors)."""
  if info.num_classes < 2:
    raise ValueError(f'a classifier needs a labelled dataset; {info.name!r} has '
                     f'{info.num_classes} classes')
  if m.kind == 'conv':
    check_conv_data(info, m.channels)
