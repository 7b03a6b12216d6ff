"""What `python -m experiments.compare` trains: one entry per generative family, each one or
more training runs (stages) of a config in experiments/configs/, and what its evaluation
reads: the likelihood metrics it has (labelled exact / bound / estimate) and a few metrics
of its own.

A stage trains in DIR/<stage name>; `links` put another stage's workdir into a config key
(the VQ-VAE prior's codec), `eval_links` do so only for evaluation (the VQ-VAE samples
through its prior). `share` is the part of the family's budget a stage gets.
"""
import dataclasses

from gdm.utils.checks import check_choice

CONFIGS = 'experiments.configs'
LABELS = ('exact', 'bound', 'estimate')
# What a likelihood is of (gdm.metrics.bits_per_dim.KINDS): the probability of the 8-bit
# pixels (discrete), or a density on dequantized pixels.
DISCRETE, DENSITY = 'discrete', 'density'


@dataclasses.dataclass(frozen=True)
class Likelihood:
  """One NLL a family reports: eval/<metric> (times `sign`) in nats per image."""
  name: str                      # the table's name for it, e.g. 'IWAE'
  metric: str                    # eval/<metric>
  label: str                     # exact | bound | estimate
  kind: str                      # discrete | density (gdm.metrics.bits_per_dim)
  sign: float = 1.0              # -1 for metrics that are log-likelihoods (the ELBO)
  note: str = ''

  def __post_init__(self):
    check_choice(self.label, LABELS, 'likelihood label')


@dataclasses.dataclass(frozen=True)
class Stage:
  name: str                      # DIR/<name>
  family: str                    # a key of experiments.families.FAMILIES
  config: str                    # module under experiments/configs/ (get_config(variant))
  share: float = 1.0
  links: tuple[tuple[str, str], ...] = ()   # (model key, stage whose workdir it takes)
  unlinked: tuple[str, ...] = ()  # model keys a link replaces (set to None), e.g. the
                                  # :smoke variant's stand-in for the linked run

  @property
  def module(self) -> str:
    return f'{CONFIGS}.{self.config}'


@dataclasses.dataclass(frozen=True)
class Entry:
  name: str
  stages: tuple[Stage, ...]      # the first is the model that is sampled and evaluated
  likelihoods: tuple[Likelihood, ...] = ()
  extras: tuple[tuple[str, str], ...] = ()   # (stage, eval/<metric>) shown beside the table
  eval_links: tuple[tuple[str, str], ...] = ()
  note: str = ''

  @property
  def main(self) -> Stage:
    return self.stages[0]


def _one(name: str, family: str = '', **entry) -> Entry:
  return Entry(name, (Stage(name, family or name, f'{family or name}.compare_digits'),),
               **entry)


ENTRIES = {e.name: e for e in (
    _one('autoencoder', extras=(('autoencoder', 'psnr'),),
         note='samples decode a Gaussian fitted to the test codes'),
    _one('vae', likelihoods=(
        Likelihood('IWAE', 'nll', 'estimate', DISCRETE, note='k=1000 importance samples'),
        Likelihood('ELBO', 'elbo', 'bound', DISCRETE, sign=-1.0))),
    Entry('vqvae', (
        Stage('vqvae', 'vqvae', 'vqvae.compare_digits', share=0.6),
        Stage('vqvae_prior', 'autoregressive', 'autoregressive.compare_vqvae_prior_digits',
              share=0.4, links=(('vqvae_workdir', 'vqvae'),),
              unlinked=('untrained_vqvae',))),
        extras=(('vqvae', 'psnr'), ('vqvae_prior', 'bits_per_code')),
        eval_links=(('prior_workdir', 'vqvae_prior'),),
        note='samples: a Gated PixelCNN prior over the 4x4 code maps, decoded'),
    _one('gan'),
    _one('diffusion', likelihoods=(
        Likelihood('DDPM', 'nll', 'bound', DISCRETE, note='all T terms'),)),
    _one('flow', likelihoods=(
        Likelihood('exact', 'nll', 'exact', DENSITY,
                   note='density of the dequantized pixels'),)),
    _one('autoregressive', likelihoods=(
        Likelihood('exact', 'nll', 'exact', DISCRETE),)),
    _one('ebm', extras=(('ebm', 'energy_gap'),),
         note='unnormalised: no likelihood; samples from the replay buffer'),
)}

# The domain classifier whose features every family's samples are scored with.
CLASSIFIER = Stage('classifier', 'classifier', 'classifier.digits')


def parse_families(text) -> tuple[str, ...]:
  """--families=a,b (a list or a comma-separated string; empty = all) -> names in the
  table's order; a bad name is a one-line ValueError listing the valid ones."""
  names = [n.strip() for n in (text.split(',') if isinstance(text, str) else text or ())]
  names = [n for n in names if n]
  for name in names:
    check_choice(name, ENTRIES, 'family', '--families')
  chosen = set(names) or set(ENTRIES)
  return tuple(n for n in ENTRIES if n in chosen)
