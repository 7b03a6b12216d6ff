"""Deterministic, sharded, checkpointable batches.

The batch of step `s` is a pure function of (seed, s): epoch `e` visits the examples in the
order of a permutation seeded by (seed, e), each step takes the next `global_batch_size`
of them (the incomplete tail of an epoch is dropped), and process `p` of `P` reads its
contiguous `1/P` slice. The iterator's whole state is therefore the next step, so a resumed
run sees exactly the batches an uninterrupted run would, whatever the process count.

Unpaired translation data (two domains, gdm.data.pairs.UnpairedSource) is read by a
`DomainPipeline`: one such order per domain, each seeded by (seed, domain, epoch), so the
domains are drawn independently and the batch of step s is still a pure function of (seed, s).
`make_pipeline` picks the pipeline a source needs.
"""
import numpy as np

from gdm.data.source import Source


class Pipeline:

  def __init__(self, source: Source, global_batch_size: int, *, seed: int,
               shuffle: bool = True, process_index: int = 0, process_count: int = 1,
               stream: int = 0):
    """`stream` > 0 gives an order independent of stream 0's (and of other streams')."""
    if global_batch_size <= 0 or global_batch_size % process_count:
      raise ValueError(f'batch_size={global_batch_size} must be a positive multiple of the '
                       f'process count {process_count}')
    if len(source) < global_batch_size:
      raise ValueError(f'batch_size={global_batch_size} is larger than dataset '
                       f'{source.info.name!r} ({len(source)} examples)')
    self.source = source
    self.global_batch_size = global_batch_size
    self.local_batch_size = global_batch_size // process_count
    self.seed = seed
    self.stream = stream
    self.shuffle = shuffle
    self.process_index = process_index
    self.steps_per_epoch = len(source) // global_batch_size
    self._order_epoch = -1
    self._order = None

  def _epoch_order(self, epoch: int) -> np.ndarray:
    if epoch != self._order_epoch:
      n = len(self.source)
      key = [self.seed, epoch] if self.stream == 0 else [self.seed, self.stream, epoch]
      self._order = (np.random.default_rng(key).permutation(n)
                     if self.shuffle else np.arange(n))
      self._order_epoch = epoch
    return self._order

  def global_indices(self, step: int) -> np.ndarray:
    epoch, pos = divmod(step, self.steps_per_epoch)
    order = self._epoch_order(epoch)
    return order[pos * self.global_batch_size:(pos + 1) * self.global_batch_size]

  def local_indices(self, step: int) -> np.ndarray:
    start = self.process_index * self.local_batch_size
    return self.global_indices(step)[start:start + self.local_batch_size]

  def batch(self, step: int) -> dict[str, np.ndarray]:
    """This process's part of the batch of `step`, with each example's dataset index."""
    idx = self.local_indices(step)
    out = self.source[idx]
    out['index'] = idx.astype(np.int32)
    return out

  def batches(self, start: int, count: int) -> dict[str, np.ndarray]:
    """Batches of steps start..start+count-1 stacked on a leading axis."""
    parts = [self.batch(s) for s in range(start, start + count)]
    return {k: np.stack([p[k] for p in parts]) for k in parts[0]}


class DomainPipeline:
  """Batches of unpaired data: {'x', 'index'} from domain A's order (stream 1) and
  {'y', 'y_index'} from domain B's (stream 2); each domain has its own epochs."""

  def __init__(self, source, global_batch_size: int, *, seed: int, shuffle: bool = True,
               process_index: int = 0, process_count: int = 1):
    self.source = source
    self.parts = tuple(
        Pipeline(domain, global_batch_size, seed=seed, shuffle=shuffle,
                 process_index=process_index, process_count=process_count, stream=i + 1)
        for i, domain in enumerate(source.domains))
    self.global_batch_size = global_batch_size

  def batch(self, step: int) -> dict[str, np.ndarray]:
    a, b = (part.batch(step) for part in self.parts)
    return {'x': a['x'], 'index': a['index'], 'y': b['x'], 'y_index': b['index']}

  batches = Pipeline.batches


def make_pipeline(source: Source, global_batch_size: int, **kwargs):
  """A DomainPipeline for a source of two domains, else a Pipeline (same arguments)."""
  if hasattr(source, 'domains'):
    return DomainPipeline(source, global_batch_size, **kwargs)
  return Pipeline(source, global_batch_size, **kwargs)


def eval_batches(source: Source, batch_size: int, num_examples: int,
                 process_index: int = 0, process_count: int = 1):
  """Fixed, unshuffled evaluation batches covering the first `num_examples` examples.

  The last batch is padded by repeating examples and carries a `mask` so that metrics
  average over real examples only.
  """
  n = len(source) if num_examples <= 0 else min(num_examples, len(source))
  if batch_size % process_count:
    raise ValueError(f'eval batch_size={batch_size} must be a multiple of the process count '
                     f'{process_count}')
  local = batch_size // process_count
  for start in range(0, n, batch_size):
    idx = np.arange(start, start + batch_size)
    mask = idx < n
    idx = np.where(mask, idx, idx % n)
    sl = slice(process_index * local, (process_index + 1) * local)
    out = source[idx[sl]]
    out['index'] = idx[sl].astype(np.int32)
    out['mask'] = mask[sl]
    yield out
