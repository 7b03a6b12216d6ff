"""Evaluation over a fixed split, image grids, and sample files; all use EMA params."""
import os

import jax
import jax.numpy as jnp
import numpy as np
from jax.experimental import multihost_utils

from gdm import data as data_lib
from gdm.data import wav
from gdm.train import distributed, rng
from gdm.train.pictures import array_picture, to_picture
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
    self._translate = None
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

  def _translator(self):
    if self._translate is None:
      model, prepare = self.exp.model, self.exp.prepare

      def run(params, model_state, raw, key):
        batch = prepare(raw, rng.key_for(key, 0, rng.DATA), False)
        out = {'inputs': batch['x'], 'mask': raw['mask'],
               'outputs': model.translate(params, model_state, batch, key)}
        if 'y' in batch:
          out['targets'] = batch['y']
        return out

      self._translate = jax.jit(run, out_shardings=distributed.replicated(self.exp.mesh))
    return self._translate

  def translations(self, state, source=None, num: int = 0, batch_size: int = 0):
    """Yields {'inputs', 'outputs'[, 'targets']}: numpy arrays in data space of the first
    `num` examples (0 = all) of `source` (default the evaluation split) and their
    translations by `model.translate` with the EMA params, `batch_size` (default
    eval.batch_size) at a time."""
    exp = self.exp
    source = exp.eval_source if source is None else source
    translate = self._translator()
    for i, raw in enumerate(data_lib.eval_batches(
        source, batch_size or exp.config.eval.batch_size, num, jax.process_index(),
        jax.process_count())):
      key = rng.key_for(exp.base_key, state.step, rng.SAMPLE, 3, i)
      out = jax.device_get(translate(state.ema_params, state.model_state,
                                     exp.global_batch(raw, leading=0), key))
      keep = np.asarray(out.pop('mask'))
      yield {name: np.asarray(v)[keep] for name, v in out.items()}

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

  def to_image(self, x: np.ndarray, labels=None) -> np.ndarray:
    """Data-space array -> one uint8 picture: a grid of images, waveforms or a 2-D scatter."""
    c = self.exp.config
    return to_picture(x, self.exp.info, c.data.pixels, c.sample.grid_min_side, labels)

  def pictures(self, state) -> dict[str, np.ndarray]:
    """Reconstruction-style grids from `model.visualize` plus a grid of samples (unless the
    family draws its own: a conditional GAN's class grid, the VAE's decoder means)."""
    key = rng.key_for(self.exp.base_key, state.step, rng.SAMPLE, 1)
    out = jax.device_get(self._visualize(state.ema_params, state.model_state,
                                         self._reference(), key))
    captions = self.exp.model.captions
    grids = {name: self.to_image(v, captions.get(name)) for name, v in out.items()}
    if 'samples' not in grids:
      grids['samples'] = self.to_image(self.sample(state, self.exp.config.sample.num_samples),
                                       captions.get('samples'))
    return grids

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
    with every array it returns, and <name>_<step>_<array>.png for each one that is a
    picture (gdm.train.pictures.array_picture); for audio, also
    <name>_<step>_<array>_<i>.wav per clip."""
    key = rng.key_for(self.exp.base_key, state.step, rng.SAMPLE, 2)
    out = {k: np.asarray(v) for k, v in jax.device_get(
        self._mode(name)(state.ema_params, state.model_state, self._reference(), key)).items()}
    step = int(state.step)
    path = os.path.join(self.exp.workdir, 'samples', f'{name}_{step}.npz')
    if self.exp.is_writer:
      os.makedirs(os.path.dirname(path), exist_ok=True)
      np.savez(path, **out)
      c = self.exp.config
      for array_name, v in out.items():
        if self._is_audio(v):
          self._write_wavs(path[:-len('.npz')] + f'_{array_name}', v)
        picture = array_picture(v, self.exp.info, c.data.pixels, c.sample.grid_min_side,
                                self.exp.model.captions.get(f'{name}/{array_name}'))
        if picture is not None:
          images.save_png(path[:-len('.npz')] + f'_{array_name}.png', picture)
    return path

  def write_samples(self, state) -> str:
    """WORKDIR/samples/samples_<step>.npz with array `x` (data space) and its PNG grid; for
    audio also samples_<step>_<i>.wav, one per clip."""
    x = self.sample(state, self.exp.config.sample.num_samples)
    step = int(state.step)
    path = os.path.join(self.exp.workdir, 'samples', f'samples_{step}.npz')
    if self.exp.is_writer:
      os.makedirs(os.path.dirname(path), exist_ok=True)
      np.savez(path, x=x)
      images.save_png(path[:-len('.npz')] + '.png',
                      self.to_image(x, self.exp.model.captions.get('sample/x')))
      if self._is_audio(x):
        self._write_wavs(path[:-len('.npz')], x)
    return path

  def _is_audio(self, v: np.ndarray) -> bool:
    info = self.exp.info
    return info.is_audio and v.ndim >= 2 and v.shape[-1] == info.shape[0]

  def _write_wavs(self, prefix: str, clips: np.ndarray):
    """PREFIX_<i>.wav (16-bit PCM at the data's rate) for each clip of [..., T]."""
    clips = clips.reshape(-1, clips.shape[-1])
    for i, clip in enumerate(clips):
      wav.write(f'{prefix}_{i:03d}.wav', clip, self.exp.info.sample_rate)
