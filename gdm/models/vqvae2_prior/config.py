"""The VQ-VAE-2 priors' `model` section: the codec to load and one net section per prior."""
from gdm.data.source import DatasetInfo
from gdm.models.vqvae2.config import VQVAE2Config
from gdm.utils.schema import require, section


@section
class PriorNetConfig:
  """A prior's Gated PixelCNN (gdm/nn/vqvae2_priors.py)."""
  features: int = 64
  num_layers: int = 6
  kernel_size: int = 5
  first_kernel_size: int = 7
  head_features: int = 0        # width of the 1x1 head; 0 = features
  attention_every: int = 0      # causal self-attention after every this many layers; 0 = none
  num_heads: int = 4
  cond_features: int = 64       # bottom prior: width of the conditioning stack on the top codes
  cond_blocks: int = 2          # ... and its residual blocks

  def __post_init__(self):
    for key in ('features', 'num_heads', 'cond_features'):
      require(getattr(self, key) >= 1, key, getattr(self, key), 'must be >= 1')
    for key in ('num_layers', 'head_features', 'attention_every', 'cond_blocks'):
      require(getattr(self, key) >= 0, key, getattr(self, key), 'must be >= 0')
    for key in ('kernel_size', 'first_kernel_size'):
      require(getattr(self, key) % 2 == 1, key, getattr(self, key), 'must be odd')
    require(not self.attention_every or self.features % self.num_heads == 0, 'num_heads',
            self.num_heads, f'must divide features={self.features} (attention heads)')


@section
class VQVAE2PriorConfig:
  vqvae2_workdir: str = ''      # a trained experiments.vqvae2 run: the priors model its codes
  # With no workdir: the `model` section of a VQ-VAE-2 built untrained (seeded by `seed`) on
  # this run's data; smoke tests only.
  untrained_vqvae2: VQVAE2Config | None = None
  conditional: bool = False     # a one-hot class label conditions both priors
  top: PriorNetConfig = PriorNetConfig(attention_every=2)    # the paper: self-attention
  bottom: PriorNetConfig = PriorNetConfig()                  # ... and none at the bottom

  def __post_init__(self):
    require(not (self.vqvae2_workdir and self.untrained_vqvae2 is not None), 'vqvae2_workdir',
            self.vqvae2_workdir, 'and model.untrained_vqvae2 exclude each other: set one')


def check(m: VQVAE2PriorConfig, info: DatasetInfo):
  if not m.vqvae2_workdir and m.untrained_vqvae2 is None:
    raise ValueError('model.vqvae2_workdir is not set: name a trained experiments.vqvae2 run '
                     '(or give model.untrained_vqvae2, for smoke tests)')
  if m.conditional and info.num_classes <= 0:
    raise ValueError(f'model.conditional=True needs a labelled dataset; {info.name!r} has no '
                     'labels')
