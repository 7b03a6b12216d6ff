"""Sample-based metrics of a trained model: FID, KID, Inception Score, precision/recall.

Samples are drawn in batches from the EMA params, turned into uint8 images and passed through
a feature extractor (FID Inception-v3 by default). FID statistics are accumulated as they
stream; KID and precision/recall keep the pooled features (8 KiB per image). The reference
side is either a statistics file (FID only, pytorch-fid format) or the first N images of a
dataset split, read the same way. Image-to-image models (`Model.translate`) are scored by the
translations of the first N examples of the evaluation split instead of samples, against the
target images (`y`) of the reference split.
"""
import jax
import numpy as np

from gdm import data as data_lib
from gdm.data import pairs
from gdm.metrics import distribution as dist
from gdm.metrics.streaming import StreamingStats
from gdm.train.evaluation import Evaluator
from gdm.utils.checks import check_choice

METRICS = ('fid', 'kid', 'is', 'pr')


def check_request(metrics, num_samples: int, kid_subset_size: int, is_splits: int, pr_k: int,
                  features: str, image_data: bool):
  """One-line errors for a request that cannot be met, before anything is sampled."""
  for m in metrics:
    check_choice(m, METRICS, 'metric', '--metrics')
  if features == 'inception' and not image_data:
    raise ValueError('--features=inception needs an image dataset; use --features=raw for '
                     '2-D / tabular data')
  if features == 'raw' and 'is' in metrics:
    raise ValueError('--metrics=is needs class logits: use --features=inception or domain')
  if num_samples < 2:
    raise ValueError(f'--num_samples={num_samples} must be >= 2')
  if 'kid' in metrics and not 2 <= kid_subset_size <= num_samples:
    raise ValueError(f'--kid_subset_size={kid_subset_size} must be in [2, num_samples='
                     f'{num_samples}]')
  if 'is' in metrics and not 1 <= is_splits <= num_samples:
    raise ValueError(f'--is_splits={is_splits} must be in [1, num_samples={num_samples}]')
  if 'pr' in metrics and not 1 <= pr_k < num_samples:
    raise ValueError(f'--pr_k={pr_k} must be in [1, num_samples={num_samples})')


class _Features:
  """Streams feature batches into FID statistics and, where needed, keeps them."""

  def __init__(self, keep_pool: bool, keep_logits: bool):
    self.stats, self.keep_pool, self.keep_logits = None, keep_pool, keep_logits
    self.pool, self.logits = [], []

  def add(self, pool, logits):
    pool = np.asarray(pool, np.float64)
    if self.stats is None:
      self.stats = StreamingStats(pool.shape[1])
    self.stats.update(pool)
    if self.keep_pool:
      self.pool.append(pool)
    if self.keep_logits:
      self.logits.append(np.asarray(logits, np.float64))


def _batch_sizes(num: int, batch_size: int):
  for start in range(0, num, batch_size):
    yield min(batch_size, num - start)


def check_translations(num: int, eval_source, reference_source):
  """One-line error unless a translation model has `num` inputs and targets to score."""
  from_eval, targets = len(eval_source), pairs.num_targets(reference_source)
  if num > min(from_eval, targets):
    raise ValueError(f'--num_samples={num}: a translation model is scored on translations of '
                     f'the evaluation split ({from_eval} images) against target images of the '
                     f'reference split ({targets}); ask for at most {min(from_eval, targets)}')


def _drawn(evaluator: Evaluator, state, num: int, batch_size: int):
  """Samples, or for a translation model the evaluation split's translations."""
  if evaluator.exp.model.translate is not None:
    for out in evaluator.translations(state, num=num, batch_size=batch_size):
      yield out['outputs']
    return
  for i, n in enumerate(_batch_sizes(num, batch_size)):
    yield evaluator.sample(state, n, index=i)


def sample_features(evaluator: Evaluator, state, num: int, batch_size: int, feature_fn,
                    keep_pool: bool, keep_logits: bool) -> _Features:
  out = _Features(keep_pool, keep_logits)
  exp = evaluator.exp
  for x in _drawn(evaluator, state, num, batch_size):
    if exp.info.is_image:   # feature extractors read data as stored: uint8 pixels
      x = np.asarray(data_lib.to_uint8(x, exp.config.data.pixels))
    out.add(*feature_fn(x))
  return out


def reconstruction_features(evaluator: Evaluator, state, source, num: int, batch_size: int,
                            feature_fn, keep_pool: bool, keep_logits: bool) -> _Features:
  """Features of the model's reconstructions of the first `num` examples of a source (its
  `reconstruct` mode, EMA params): the fake side of rFID."""
  if num > len(source):
    raise ValueError(f'asked for {num} reconstructions, the split has {len(source)}')
  out = _Features(keep_pool, keep_logits)
  exp = evaluator.exp
  for start, raw in zip(range(0, num, batch_size), data_lib.eval_batches(
      source, batch_size, num, jax.process_index(), jax.process_count())):
    # Padded rows come last in the global batch (eval_batches repeats examples past num).
    x = evaluator.reconstructions(state, raw)[:min(batch_size, num - start)]
    if exp.info.is_image:
      x = np.asarray(data_lib.to_uint8(x, exp.config.data.pixels))
    out.add(*feature_fn(x))
  return out


def dataset_features(source, num: int, batch_size: int, feature_fn, keep_pool: bool,
                     field: str = 'x') -> _Features:
  """Features of the first `num` examples of a source, as stored (no preprocessing);
  `field` 'y' reads a translation source's target images."""
  available = pairs.num_targets(source) if field == 'y' else len(source)
  if num > available:
    raise ValueError(f'asked for {num} reference images, the split has {available}')
  out = _Features(keep_pool, keep_logits=False)
  for start, n in zip(range(0, num, batch_size), _batch_sizes(num, batch_size)):
    out.add(*feature_fn(source[np.arange(start, start + n)][field]))
  return out


def evaluate_samples(evaluator: Evaluator, state, metrics, num_samples: int, batch_size: int,
                     feature_fn, reference_source=None, ref_stats_path: str = '',
                     kid_subsets: int = 100, kid_subset_size: int = 1000, is_splits: int = 10,
                     pr_k: int = 3, suffix: str = '',
                     reference_field: str = 'x',
                     reconstructions: bool = False) -> dict[str, float]:
  """{'eval/fid': ..., 'eval/kid': ..., 'eval/kid_std', 'eval/is', 'eval/is_std',
  'eval/precision', 'eval/recall'} for the requested metrics, each name + `suffix`
  ('_domain' for domain-classifier features, '_raw' for raw values). `reconstructions`:
  the fake side is the model's reconstructions of the first num_samples reference examples
  instead of samples, and the names are eval/rfid, eval/rkid, ... (rFID)."""
  need_ref_features = 'kid' in metrics or 'pr' in metrics or (
      'fid' in metrics and not ref_stats_path)
  keep = dict(keep_pool='kid' in metrics or 'pr' in metrics, keep_logits='is' in metrics)
  if reconstructions:
    fake = reconstruction_features(evaluator, state, reference_source, num_samples, batch_size,
                                   feature_fn, **keep)
  else:
    fake = sample_features(evaluator, state, num_samples, batch_size, feature_fn, **keep)
  real = None
  if need_ref_features:
    real = dataset_features(reference_source, num_samples, batch_size, feature_fn,
                            keep_pool='kid' in metrics or 'pr' in metrics,
                            field=reference_field)
  out = feature_metrics(fake, real, metrics, ref_stats_path, kid_subsets, kid_subset_size,
                        is_splits, pr_k, suffix)
  if reconstructions:
    out = {name.replace('eval/', 'eval/r', 1): value for name, value in out.items()}
  return out


def feature_metrics(fake: _Features, real: _Features | None, metrics, ref_stats_path: str = '',
                    kid_subsets: int = 100, kid_subset_size: int = 1000, is_splits: int = 10,
                    pr_k: int = 3, suffix: str = '') -> dict[str, float]:
  """The metrics of `fake` features against `real` ones (or, for FID, `ref_stats_path`);
  names as evaluate_samples gives them. Either side may be a dataset (e.g. held-out data
  against the training data, the floor a model's samples are read against)."""
  out = {}
  if 'fid' in metrics:
    mu, sigma = fake.stats.result()
    ref_mu, ref_sigma = (dist.load_stats(ref_stats_path, dim=len(mu)) if ref_stats_path
                         else real.stats.result())
    out[f'eval/fid{suffix}'] = dist.frechet_distance(mu, sigma, ref_mu, ref_sigma)
  if 'kid' in metrics:
    out[f'eval/kid{suffix}'], out[f'eval/kid_std{suffix}'] = dist.kernel_inception_distance(
        np.concatenate(fake.pool), np.concatenate(real.pool), kid_subsets, kid_subset_size)
  if 'is' in metrics:
    out[f'eval/is{suffix}'], out[f'eval/is_std{suffix}'] = dist.inception_score(
        np.concatenate(fake.logits), is_splits)
  if 'pr' in metrics:
    pr = dist.precision_recall(np.concatenate(real.pool), np.concatenate(fake.pool), pr_k)
    out[f'eval/precision{suffix}'], out[f'eval/recall{suffix}'] = (pr['precision'],
                                                                   pr['recall'])
  return out
