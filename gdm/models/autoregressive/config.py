"""The autoregressive `model` section, and the checks that need the dataset too.

Keys shared by every net are flat (`model.net`, `model.likelihood`, ...); each net kind has
a section of its own keys named after it (`model.pixelcnn.features`, `model.made.hidden`),
of which only the one `model.net` names is used. A section checks its own values and, in
`check_data`, what it asks of the dataset.
"""
import dataclasses

from gdm.data.config import DataConfig
from gdm.data.source import DatasetInfo
from gdm.models.autoregressive.heads import HEADS
from gdm.models.autoregressive.transformer_config import TransformerConfig
from gdm.models.vqvae.config import VQVAEConfig
from gdm.nn.made import ORDERS
from gdm.nn.mlp import ACTIVATIONS
from gdm.utils.schema import FieldError, choice, require, section

NETS = ('made', 'nade', 'pixelcnn', 'gated_pixelcnn', 'pixelcnn_pp',
        'image_transformer')                                            # = their sections
CODE_PRIOR_NETS = ('pixelcnn', 'gated_pixelcnn')
PIXEL_WISE_NETS = ('pixelcnn_pp', 'image_transformer')   # can output whole-pixel mixtures
SAMPLERS = ('cached', 'recompute')


def _needs_images(net: str, info: DatasetInfo):
  if not info.is_image:
    raise ValueError(f'model.net={net!r} needs images; {info.name!r} holds vectors: use '
                     'made or nade')


@section
class MADEConfig:
  hidden: tuple[int, ...] = (500,)     # hidden widths
  act: str = 'relu'
  order: str | tuple[int, ...] = 'identity'   # identity | reverse | random (seeded by 0)

  def __post_init__(self):
    require(len(self.hidden) > 0 and min(self.hidden) >= 1, 'hidden', self.hidden,
            'must list positive widths')
    choice(self.act, ACTIVATIONS, 'act', 'activation')
    if isinstance(self.order, str):
      choice(self.order, ORDERS, 'order', 'MADE order')

  def check_data(self, info: DatasetInfo):
    del info


@section
class NADEConfig:
  hidden: int = 500                    # the one hidden layer's width (tied weights)
  act: str = 'relu'                    # NADE's paper: sigmoid

  def __post_init__(self):
    require(self.hidden >= 1, 'hidden', self.hidden, 'must be >= 1')
    choice(self.act, ACTIVATIONS, 'act', 'activation')

  def check_data(self, info: DatasetInfo):
    del info


def _check_conv_stack(s, *kernels: str):
  """The checks PixelCNN and Gated PixelCNN share; `kernels` name their kernel-size keys."""
  require(s.features >= 1, 'features', s.features, 'must be >= 1')
  require(s.num_layers >= 0, 'num_layers', s.num_layers, 'must be >= 0')
  require(s.head_features >= 0, 'head_features', s.head_features, 'must be >= 0 (0 = features)')
  for key in kernels:
    require(getattr(s, key) % 2 == 1, key, getattr(s, key), 'must be odd')


def _check_features(net: str, features: int, unit: int):
  if features % unit:
    raise ValueError(f'model.{net}.features={features} must be a positive multiple of {unit} '
                     f'(channel groups)')


@section
class PixelCNNConfig:
  features: int = 64                   # 2h in the paper
  num_layers: int = 6                  # residual blocks
  first_kernel_size: int = 7           # the first (mask A) kernel
  head_features: int = 0               # width of the 1x1 output layers; 0 = features

  def __post_init__(self):
    _check_conv_stack(self, 'first_kernel_size')

  def check_data(self, info: DatasetInfo):
    _needs_images('pixelcnn', info)
    _check_features('pixelcnn', self.features, 2 * info.shape[-1])


@section
class GatedPixelCNNConfig:
  features: int = 64
  num_layers: int = 6                  # gated layers
  kernel_size: int = 5                 # kernel of the gated layers
  first_kernel_size: int = 7           # the first (mask A) kernel
  head_features: int = 0               # width of the 1x1 output layers; 0 = features

  def __post_init__(self):
    _check_conv_stack(self, 'first_kernel_size', 'kernel_size')

  def check_data(self, info: DatasetInfo):
    _needs_images('gated_pixelcnn', info)
    _check_features('gated_pixelcnn', self.features, info.shape[-1])


@section
class PixelCNNPPConfig:
  features: int = 64
  num_resnet: int = 5                  # gated resnet blocks per level
  levels: int = 3                      # resolutions (2 halvings)
  dropout: float = 0.5                 # in every gated resnet block

  def __post_init__(self):
    require(self.features >= 1, 'features', self.features, 'must be >= 1')
    require(self.levels >= 1, 'levels', self.levels, 'must be >= 1')
    require(self.num_resnet >= 1, 'num_resnet', self.num_resnet, 'must be >= 1')
    require(0 <= self.dropout < 1, 'dropout', self.dropout, 'must be in [0, 1)')

  def check_data(self, info: DatasetInfo):
    _needs_images('pixelcnn_pp', info)
    size = 2 ** (self.levels - 1)
    if info.shape[0] % size or info.shape[1] % size:
      raise ValueError(f'model.pixelcnn_pp.levels={self.levels} halvings need image sides '
                       f'divisible by {size} (got {info.shape[:2]})')


@section
class AutoregressiveConfig:
  # Before the redesign every net's keys sat at the top of the section; an older run's
  # config.json puts them into the section of the net it used.
  @staticmethod
  def migrate_old(values: dict) -> dict:
    net = values.get('net', 'pixelcnn')
    fields = {'made': MADEConfig, 'nade': NADEConfig, 'pixelcnn': PixelCNNConfig,
              'gated_pixelcnn': GatedPixelCNNConfig, 'pixelcnn_pp': PixelCNNPPConfig}
    section_ = values.setdefault(net, {})
    for name in [f.name for f in dataclasses.fields(fields.get(net, MADEConfig))]:
      if name in values:
        section_.setdefault(name, values.pop(name))
    if net == 'nade' and isinstance(section_.get('hidden'), (list, tuple)):
      section_['hidden'] = section_['hidden'][0]
    for name in ('hidden', 'act', 'order', 'features', 'num_layers', 'kernel_size',
                 'first_kernel_size', 'head_features', 'num_resnet', 'levels', 'dropout',
                 'vqvae_config'):
      values.pop(name, None)        # keys of the nets it did not use
    return values
  net: str = 'pixelcnn'        # made | nade | pixelcnn | gated_pixelcnn | pixelcnn_pp |
                               # image_transformer
  likelihood: str = 'bernoulli'  # bernoulli (binarized) | categorical (256-way) |
                                 # logistic_mixture (pixelcnn_pp, image_transformer) |
                                 # gaussian_mixture (toys)
  num_mixtures: int = 10       # logistic_mixture / gaussian_mixture components
  conditional: bool = False    # one-hot class label conditions every layer (every net)
  inpaint_rows: int = 0        # --mode=inpaint: rows given; 0 = the top half
  # Sampling and inpainting: 'cached' computes only what each new position needs (conv nets:
  # the current row of every layer; the transformer: one token against a key/value cache;
  # MADE / NADE have no cache and recompute), 'recompute' runs the whole net at every
  # position. Both give the same samples for the same keys.
  sampler: str = 'cached'
  vqvae_workdir: str = ''      # a trained experiments.vqvae run: the prior models its codes
  # With no workdir: the `model` section of a VQ-VAE built untrained (seeded by `seed`,
  # computing in train.compute_dtype) on this run's data; smoke tests only.
  untrained_vqvae: VQVAEConfig | None = None
  made: MADEConfig = MADEConfig()
  nade: NADEConfig = NADEConfig()
  pixelcnn: PixelCNNConfig = PixelCNNConfig()
  gated_pixelcnn: GatedPixelCNNConfig = GatedPixelCNNConfig()
  pixelcnn_pp: PixelCNNPPConfig = PixelCNNPPConfig()
  image_transformer: TransformerConfig = TransformerConfig()

  def __post_init__(self):
    choice(self.net, NETS, 'net', 'autoregressive net')
    choice(self.likelihood, HEADS, 'likelihood', 'autoregressive likelihood')
    choice(self.sampler, SAMPLERS, 'sampler', 'autoregressive sampler')
    mixture = self.likelihood == 'logistic_mixture'
    if (self.net == 'pixelcnn_pp' and not mixture) or (
        mixture and self.net not in PIXEL_WISE_NETS):
      raise FieldError('net', f"{FieldError.PLACEHOLDER}='pixelcnn_pp' goes with likelihood="
                       f"'logistic_mixture' (a pixel-wise mixture), which only it and "
                       f"image_transformer can use; got net={self.net!r}, "
                       f"likelihood={self.likelihood!r}")
    require(self.num_mixtures >= 1, 'num_mixtures', self.num_mixtures, 'must be >= 1')
    require(not (self.vqvae_workdir and self.untrained_vqvae is not None), 'vqvae_workdir',
            self.vqvae_workdir, 'and model.untrained_vqvae exclude each other: set one')
    if self.code_prior and (self.likelihood != 'categorical' or
                            self.net not in CODE_PRIOR_NETS):
      raise FieldError('net', f'{FieldError.PLACEHOLDER}={self.net!r} with likelihood='
                       f'{self.likelihood!r} cannot be a prior over VQ-VAE codes: use a '
                       f"pixelcnn or gated_pixelcnn with likelihood='categorical'")

  @property
  def code_prior(self) -> bool:
    """A prior over a VQ-VAE's code maps, not over the data itself."""
    return bool(self.vqvae_workdir) or self.untrained_vqvae is not None

  @property
  def net_config(self):
    """The section of the net `net` names."""
    return getattr(self, self.net)


def _check_likelihood(m: AutoregressiveConfig, d: DataConfig, info: DatasetInfo):
  """The likelihood must match what the data are (one-line errors)."""
  if m.likelihood == 'gaussian_mixture':
    if info.is_image:
      raise ValueError("model.likelihood='gaussian_mixture' is for real-valued vectors (2-D "
                       f"toys); {info.name!r} holds images: use bernoulli, categorical or "
                       "logistic_mixture")
    return
  if not info.is_image:
    raise ValueError(f'model.likelihood={m.likelihood!r} needs images; {info.name!r} holds '
                     "real-valued vectors: use likelihood='gaussian_mixture'")
  if m.likelihood == 'bernoulli':
    if d.binarize == 'none':
      raise ValueError("model.likelihood='bernoulli' needs binary pixels: set "
                       "data.binarize=static or dynamic")
  elif d.scale != 'minus_one_one' or d.dequantize or d.binarize != 'none':
    raise ValueError(f'model.likelihood={m.likelihood!r} needs integer pixel values in '
                     f'[0, 255] scaled to [-1, 1]: data.scale=minus_one_one, no dequantize, '
                     f'no binarize (got scale={d.scale!r}, dequantize={d.dequantize}, '
                     f'binarize={d.binarize!r})')


def check(m: AutoregressiveConfig, data: DataConfig, info: DatasetInfo):
  """What the model section asks of the data (one-line errors). A code prior's data are
  code maps, checked against the VQ-VAE when it is loaded."""
  m.net_config.check_data(info)
  if m.conditional and info.num_classes <= 0:
    raise ValueError(f'model.conditional=True needs a labelled dataset; {info.name!r} has no '
                     'labels')
  rows = info.shape[0] if info.is_image else 1
  if m.inpaint_rows < 0 or (info.is_image and m.inpaint_rows >= rows):
    raise ValueError(f'model.inpaint_rows={m.inpaint_rows} must be in [0, {rows}) (0 = half)')
  if not m.code_prior:
    _check_likelihood(m, data, info)
