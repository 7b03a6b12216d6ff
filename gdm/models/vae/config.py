"""The VAE's `model` section (VAEConfig) and the checks that need the data or the run too.

The training objective is model.objective, one of gdm.objectives.elbo_variants.VARIANTS;
its settings are the section named after it (model.elbo.beta, model.iwae.k, ...).
"""
import dataclasses
from typing import ClassVar

from gdm.data.source import DatasetInfo
from gdm.nn.conv import check_conv_data
from gdm.nn.mlp import ACTIVATIONS
from gdm.objectives.decoder_likelihoods import LIKELIHOODS
from gdm.objectives.elbo import KL_ESTIMATORS
from gdm.objectives.elbo_variants import VARIANTS, Context
from gdm.objectives.elbo_variants.beta_tcvae import BetaTCVAEConfig
from gdm.objectives.elbo_variants.elbo import ElboConfig
from gdm.objectives.elbo_variants.iwae import IWAEConfig
from gdm.train.config import RunConfig
from gdm.utils.schema import choice, require, section

KINDS = ('mlp', 'conv')
VARIANCES = ('fixed', 'global', 'per_dim')


@section
class VAEConfig:
  # Keys that lived at the top of the section before the redesign (older runs' config.json).
  MOVED: ClassVar[dict] = {'beta': 'elbo.beta', 'warmup_steps': 'elbo.warmup_steps',
                           'free_bits': 'elbo.free_bits', 'k': 'iwae.k'}

  @staticmethod
  def migrate_old(values: dict) -> dict:
    """Before the redesign model.k > 1 meant the IWAE objective."""
    k = values.pop('k', None)
    if k is not None and k > 1:
      values.setdefault('objective', 'iwae')
      values.setdefault('iwae', {}).setdefault('k', k)
    return values
  kind: str = 'mlp'                       # mlp | conv
  hidden: tuple[int, ...] = (512, 256)    # mlp widths from the data side (decoder mirrors)
  channels: tuple[int, ...] = (32, 64)    # conv: one stride-2 level per entry
  latent_dim: int = 16
  act: str = 'relu'
  decoder: str = 'bernoulli'              # bernoulli (binarized) | gaussian | discretized_logistic
  variance: str = 'global'                # gaussian: fixed | global | per_dim (learned log std)
  fixed_std: float = 1.0                  # gaussian with variance='fixed'
  num_mixtures: int = 10                  # discretized_logistic: logistics per subpixel
  kl: str = 'analytic'                    # the ELBO's KL: analytic | mc (log q - log p at z)
  objective: str = 'elbo'                 # training objective (elbo_variants.VARIANTS)
  elbo: ElboConfig = ElboConfig()         # objective 'elbo': beta, warm-up, free bits
  iwae: IWAEConfig = IWAEConfig()         # objective 'iwae': k importance samples
  beta_tcvae: BetaTCVAEConfig = BetaTCVAEConfig()   # objective 'beta_tcvae': alpha, beta, ...
  eval_k: int = 100                       # importance samples for eval/nll (IWAE estimate)
  eval_chunk: int = 100                   # eval/nll draws this many samples at a time
  conditional: bool = False               # one-hot class label into encoder and decoder
  impute_steps: int = 20                  # --mode=impute: encode/decode iterations

  def __post_init__(self):
    choice(self.kind, KINDS, 'kind', 'VAE kind')
    choice(self.decoder, LIKELIHOODS, 'decoder', 'decoder likelihood')
    choice(self.variance, VARIANCES, 'variance', 'Gaussian variance')
    choice(self.kl, KL_ESTIMATORS, 'kl', 'KL estimator')
    choice(self.objective, VARIANTS, 'objective', 'ELBO variant')
    choice(self.act, ACTIVATIONS, 'act', 'activation')
    require(self.latent_dim > 0, 'latent_dim', self.latent_dim, 'must be > 0')
    require(self.eval_k >= 1, 'eval_k', self.eval_k,
            'must be >= 1 (number of importance samples)')
    require(self.eval_chunk >= 0, 'eval_chunk', self.eval_chunk, 'must be >= 0 (0 = all)')
    require(self.num_mixtures >= 1, 'num_mixtures', self.num_mixtures, 'must be >= 1')
    require(self.fixed_std > 0, 'fixed_std', self.fixed_std, 'must be > 0')
    require(self.impute_steps >= 0, 'impute_steps', self.impute_steps, 'must be >= 0')
    require(all(w > 0 for w in self.hidden + self.channels), 'hidden', self.hidden,
            'and model.channels must hold positive widths')

  @property
  def variant_config(self):
    """The selected objective's own section (model.<objective>)."""
    return getattr(self, self.objective)


def context(run: RunConfig, info: DatasetInfo) -> Context:
  return Context(kl=run.model.kl, dataset_size=info.num_examples,
                 batch_size=run.train.batch_size)


def check_objective(m: VAEConfig, ctx: Context):
  """The selected variant's own checks; the other variants' sections must stay at their
  defaults, so a setting that would be ignored is an error instead."""
  for name, variant in VARIANTS.items():
    if name == m.objective:
      continue
    changed = [f'{f.name}={getattr(getattr(m, name), f.name)!r}'
               for f in dataclasses.fields(variant.config)
               if getattr(getattr(m, name), f.name) != getattr(variant.config(), f.name)]
    if changed:
      raise ValueError(f'model.{name}.{changed[0]} is set, but model.objective='
                       f'{m.objective!r} trains {VARIANTS[m.objective].title}: model.{name} '
                       f'applies to model.objective={name!r} only')
  VARIANTS[m.objective].check(m.variant_config, ctx)


def check_decoder(run: RunConfig, info: DatasetInfo):
  m, d = run.model, run.data
  if m.decoder == 'bernoulli':
    if not info.is_image or d.binarize == 'none':
      raise ValueError(f"model.decoder='bernoulli' needs binary data: set data.binarize=static "
                       f"or dynamic (dataset {info.name!r}, binarize={d.binarize!r})")
  elif m.decoder == 'discretized_logistic':
    if not info.is_image or d.scale != 'minus_one_one' or d.dequantize or d.binarize != 'none':
      raise ValueError(f"model.decoder='discretized_logistic' needs 8-bit images in [-1, 1]: "
                       f"data.scale='minus_one_one', no dequantize, no binarize (dataset "
                       f"{info.name!r}, scale={d.scale!r}, dequantize={d.dequantize}, "
                       f"binarize={d.binarize!r})")


def check(run: RunConfig, info: DatasetInfo):
  """What the model section asks of the data and the rest of the run (one-line errors)."""
  m = run.model
  check_objective(m, context(run, info))
  if run.sample.temperature <= 0:
    raise ValueError(f'sample.temperature={run.sample.temperature} must be > 0')
  if m.conditional and info.num_classes <= 0:
    raise ValueError(f'model.conditional=True needs a labelled dataset; {info.name!r} has no '
                     'labels')
  if m.kind == 'conv':
    check_conv_data(info, m.channels)
  check_decoder(run, info)
