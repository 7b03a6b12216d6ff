"""Evaluation over a fixed split, image grids, and sample files; all use EMA params."""
import os

import jax
import jax.numpy as jnp
import numpy as np
from jax.experimental import multihost_utils

from gdm import data as data_lib
from gdm.train import distributed, rng
from gdm.utils import images


class Evaluator:
  """Compiled once per experiment; `evaluate` returns {'eval/NAME': mean over examples}."""

  def __init__(self, exp):
    self.exp = exp
    self._reference_batch = None
    model, prepare = exp.model, exp.prepare
    replicated = distributed.replicated(exp.mesh)

    def eval_step(params, model_state, raw, key):
      batch = prepare(raw, rng.key_for(key, 0, rng.DATA), False)
      values = model.evaluate(params, model_state, batch, key)
      mask = raw['mask'].astype(jnp.float32)
      return {k: jnp.sum(jnp.where(mask > 0, v.astype(jnp.float32), 0.0))
              for k, v in values.items()}, mask.sum()

    self._eval = jax.jit(eval_step, out_shardings=replicated)
    self._visualize = jax.jit(
        lambda p, s, raw, key: model.visualize(
            p, s, prepare(raw, rng.key_for(key, 0, rng.DATA), False), key),
        out_shardings=replicated)
    self._samplers = {}
    self._modes = {}

  def _sampler(self, num: int):
    """model.sample for `num` samples, compiled once per num. The output is split over the
    mesh's data axis when num divides evenly, so the partitioner spreads the sampling
    computation over every device, as training spreads a batch."""
    if num not in self._samplers:
      exp = self.exp
      mesh = exp.mesh
      sharding = (distributed.batch_sharding(mesh, 0) if num % mesh.devices.size == 0
                  else distributed.replicated(mesh))
      self._samplers[num] = jax.jit(
          lambda p, s, key, raw: exp.model.sample(
              p, s, key, num, exp.prepare(raw, rng.key_for(key, 0, rng.DATA), False)),
          out_shardings=sharding)
    return self._samplers[num]

  def _batches(self):
    c = self.exp.config
    for raw in data_lib.eval_batches(self.exp.eval_source, c.eval.batch_size,
                                     c.eval.num_examples, jax.process_index(),
                                     jax.process_count()):
      yield self.exp.global_batch(raw, leading=0)

  def _reference(self):
    """The first evaluation batch, on device: read once, reused by every sample batch."""
    if self._reference_batch is None:
      self._reference_batch = next(self._batches())
    return self._reference_batch

  def evaluate(self, state) -> dict[str, float]:
    sums, count = {}, 0.0
    for i, raw in enumerate(self._batches()):
      key = rng.key_for(self.exp.base_key, state.step, rng.EVAL, i)
      values, n = self._eval(state.ema_params, state.model_state, raw, key)
      for k, v in values.items():
        sums[k] = sums.get(k, 0.0) + float(v)
      count += float(n)
    return {f'eval/{k}': v / count for k, v in sums.items()}

  def sample(self, state, num: int, index: int = 0) -> np.ndarray:
    """`num` samples in data space; `index` picks an independent draw (for many batches)."""
    key = rng.key_for(self.exp.base_key, state.step, rng.SAMPLE, 0, index)
    x = self._sampler(num)(state.ema_params, state.model_state, key, self._reference())
    if not x.is_fully_addressable:   # multi-process: every process gets every sample
      return np.asarray(multihost_utils.process_allgather(x, tiled=True))
    return np.asarray(jax.device_get(x))

  def to_image(self, x: np.ndarray, cols: int | None = None) -> np.ndarray:
    """Data-space array -> one uint8 picture: a grid of images or a 2-D scatter."""
    if not self.exp.info.is_image:
      return images.scatter_image(np.asarray(x)[:, :2])
    x = np.asarray(data_lib.to_uint8(x, self.exp.config.data.pixels))
    return images.make_grid(x.reshape((-1,) + x.shape[-3:]), ncol=cols)

  def pictures(self, state) -> dict[str, np.ndarray]:
    """Reconstruction-style grids from `model.visualize` plus a grid of samples."""
    key = rng.key_for(self.exp.base_key, state.step, rng.SAMPLE, 1)
    out = jax.device_get(self._visualize(state.ema_params, state.model_state,
                                         self._reference(), key))
    pictures = {name: self.to_image(v, v.shape[1] if v.ndim == 5 else None)
                for name, v in out.items()}
    pictures['samples'] = self.to_image(self.sample(state, self.exp.config.sample.num_samples))
    return pictures

  def _mode(self, name: str):
    """The family's mode `name` on a raw batch, compiled once."""
    if name not in self._modes:
      mode = self.exp.model.modes[name]
      self._modes[name] = jax.jit(lambda p, s, raw, k: mode(
          p, s, self.exp.prepare(raw, rng.key_for(k, 0, rng.DATA), False), k),
          out_shardings=distributed.replicated(self.exp.mesh))
    return self._modes[name]

  def reconstructions(self, state, raw: dict) -> np.ndarray:
    """The family's `reconstruct` mode on a raw (local) batch: the reconstructions of the
    whole global batch in data space."""
    if 'reconstruct' not in self.exp.model.modes:
      raise ValueError(f'{self.exp.family!r} models have no reconstruct mode (first_stage, '
                       'autoencoder, vqvae2 and latent diffusion runs have one)')
    key = rng.key_for(self.exp.base_key, state.step, rng.SAMPLE, 3)
    args = (state.ema_params, state.model_state, self.exp.global_batch(raw, leading=0), key)
    names = jax.eval_shape(self._mode('reconstruct'), *args)   # traced, not compiled
    if 'reconstructions' not in names:
      raise ValueError(f"the reconstruct mode of {self.exp.family!r} models returns "
                       f"{sorted(names)}, not 'reconstructions'")
    return np.asarray(jax.device_get(self._mode('reconstruct')(*args)['reconstructions']))

  def write_mode(self, state, name: str) -> str:
    """Runs the family's mode `name` on the reference batch: WORKDIR/samples/<name>_<step>.npz
    with every array it returns, and a PNG for each image array among them."""
    key = rng.key_for(self.exp.base_key, state.step, rng.SAMPLE, 2)
    out = {k: np.asarray(v) for k, v in jax.device_get(
        self._mode(name)(state.ema_params, state.model_state, self._reference(), key)).items()}
    step = int(state.step)
    path = os.path.join(self.exp.workdir, 'samples', f'{name}_{step}.npz')
    if self.exp.is_writer:
      os.makedirs(os.path.dirname(path), exist_ok=True)
      np.savez(path, **out)
      for array_name, v in out.items():
        if self.exp.info.is_image and v.ndim in (4, 5) and v.shape[-3:] == self.exp.info.shape:
          cols = v.shape[1] if v.ndim == 5 else None
          images.save_png(path[:-len('.npz')] + f'_{array_name}.png', self.to_image(v, cols))
    return path

  def write_samples(self, state) -> str:
    """WORKDIR/samples/samples_<step>.npz with array `x` (data space) and its PNG grid."""
    x = self.sample(state, self.exp.config.sample.num_samples)
    step = int(state.step)
    path = os.path.join(self.exp.workdir, 'samples', f'samples_{step}.npz')
    if self.exp.is_writer:
      os.makedirs(os.path.dirname(path), exist_ok=True)
      np.savez(path, x=x)
      images.save_png(path[:-len('.npz')] + '.png', self.to_image(x))
    return path
