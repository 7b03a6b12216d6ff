"""Does a WaveNet trained on the embedded tones reproduce their pitch distribution?

  python -m experiments.audio --workdir=/tmp/wavenet_tones     (the default config)
  python -m benchmarks.wavenet_pitch --workdir=/tmp/wavenet_tones --num=256

Draws `num` clips from the newest checkpoint (EMA params, the config's sampler), reads each
clip's pitch (gdm.data.tones.estimate_pitch on all but its first quarter, where the model
is still choosing) and compares the histogram over the four pitches with the data's
probabilities: the total variation distance, and the share of clips with no recognisable
pitch (none within 6% of one of the four), next to what sampling noise alone gives at `num`
clips: the mean and 95th percentile of the distance of `num` exact draws from the pitch
probabilities (multinomial, 10,000 repeats), and the distance of `num` of the data's own test
clips (one such draw, read back through the same pitch estimate). A conditional model is
asked for labels drawn from the pitch probabilities, so its shares are scored the same way,
and also on how often a clip has its label's pitch. `kept_after_P` continues test clips from
their first P samples (per pitch: the share that keeps it), and `nll_bits_by_position` is the
test clips' nll at their first 8 positions and from position 64 on, per pitch: where the
pitch is read, and where it is held.
"""
import dataclasses
import json
import time

import jax
import jax.numpy as jnp
import numpy as np
from absl import app, flags

from gdm.data import tones
from gdm.models import audio
from gdm.models.audio import family
from gdm.train.restore import restore_run

FLAGS = flags.FLAGS
flags.DEFINE_string('workdir', None, 'A trained experiments.audio run on data.name=tones.',
                    required=True)
flags.DEFINE_integer('num', 256, 'Clips to draw.')
flags.DEFINE_integer('seed', 0, 'Sampling key.')
flags.DEFINE_list('primes', ['4', '16'], 'Prime lengths of the continuation check; empty: none.')
flags.DEFINE_integer('length', 0, 'Clip length to draw and check; 0: the trained length. The '
                     'net is convolutional, so a model trained on shorter clips can be drawn '
                     'at full length.')


def pitch_report(clips: np.ndarray, labels: np.ndarray | None = None) -> dict:
  """Histogram of the clips' pitches against tones.PITCH_PROBS."""
  skip = clips.shape[1] // 4
  found = tones.pitch_class(tones.estimate_pitch(clips[:, skip:]))
  k = len(tones.PITCHES_HZ)
  share = np.bincount(found[found >= 0], minlength=k) / len(found)
  out = {'clips': len(found), 'pitch_share': [round(float(s), 3) for s in share],
         'data_share': list(tones.PITCH_PROBS),
         'unrecognised': round(float(np.mean(found < 0)), 3),
         'total_variation': round(0.5 * float(np.abs(share - tones.PITCH_PROBS).sum()
                                              + np.mean(found < 0)), 3)}
  if labels is not None:
    out['label_pitch_agreement'] = round(float(np.mean(found == labels)), 3)
  return out


def noise_distance(num: int, repeats: int = 10_000, seed: int = 0) -> dict:
  """Total variation of `num` exact draws from PITCH_PROBS: its mean and 95th percentile."""
  p = np.asarray(tones.PITCH_PROBS)
  counts = np.random.default_rng(seed).multinomial(num, p, size=repeats)
  tv = 0.5 * np.abs(counts / num - p).sum(-1)
  return {'noise_tv_mean': round(float(tv.mean()), 3),
          'noise_tv_p95': round(float(np.quantile(tv, 0.95)), 3)}


def draw(a: family.Audio, params, num: int, seed: int) -> tuple[np.ndarray, np.ndarray | None]:
  """(clips [num, T], labels or None): `num` clips from scratch; a conditional model is asked
  for labels drawn from tones.PITCH_PROBS."""
  labels = (np.random.default_rng(seed).choice(len(tones.PITCHES_HZ), num, p=tones.PITCH_PROBS)
            if a.num_classes else None)
  length = a.info.shape[0]
  fill = jax.jit(lambda p, k: family.to_waveform(family.complete(
      a, p, labels, k, jnp.zeros((num, length)), np.zeros(num, np.int64))))
  return np.asarray(fill(params, jax.random.key(seed))), labels


def position_nll(a: family.Audio, params, data) -> dict:
  """Per pitch: the mean nll (bits) of `data`'s clips at each of their first 8 positions,
  where an unconditional model reads the pitch, and over positions 64 on, where it holds it."""
  y = data.y if a.num_classes else None
  log_probs = jax.jit(lambda p, x: family.sample_log_probs(a, p, family.to_levels(x), y))
  bits = -np.asarray(log_probs(params, data.x)) / np.log(2)
  rows = {}
  for k, hz in enumerate(tones.PITCHES_HZ):
    clips = bits[data.y == k]
    rows[f'{hz:g}Hz'] = {'first_8': [round(float(b), 2) for b in clips[:, :8].mean(0)],
                         'from_64': round(float(clips[:, 64:].mean()), 2)}
  return rows


def kept_pitch(a: family.Audio, params, data, prime: int, key) -> list[float]:
  """Per pitch: the share of `data`'s clips continued from their first `prime` samples
  whose continuation keeps their pitch."""
  levels = np.asarray(family.to_levels(data.x))
  canvas = levels * (np.arange(levels.shape[1]) < prime)
  y = data.y if a.num_classes else None
  complete = jax.jit(lambda p, k, c: family.complete(a, p, y, k, c, np.full(len(c), prime)))
  out = np.asarray(family.to_waveform(complete(params, key, canvas)))
  found = tones.pitch_class(tones.estimate_pitch(out[:, 64:]))
  return [round(float(np.mean(found[data.y == k] == k)), 3) if np.any(data.y == k)
          else float('nan') for k in range(len(tones.PITCHES_HZ))]


def main(argv):
  del argv
  run = restore_run(FLAGS.workdir, audio.FAMILY, '--workdir')
  if run.info.name != 'tones':
    raise app.UsageError(f'--workdir={FLAGS.workdir!r} was trained on {run.info.name!r}, '
                         f'not tones')
  length = FLAGS.length or run.info.shape[0]
  if length < 64:
    raise app.UsageError(f'--length={length} must be at least 64 (the pitch is read after '
                         f'the first quarter)')
  a = family.build(run.config, dataclasses.replace(run.info, shape=(length,)))
  start = time.perf_counter()
  clips, labels = draw(a, run.params, FLAGS.num, FLAGS.seed)
  seconds = time.perf_counter() - start
  data = tones.make_source('test', FLAGS.num, length)
  kept = {f'kept_after_{p}': kept_pitch(a, run.params, data, int(p),
                                        jax.random.key(FLAGS.seed + 1)) for p in FLAGS.primes}
  nll = {'nll_bits_by_position': position_nll(a, run.params, data)}
  print(json.dumps({'step': run.step, 'length': length, 'sampler': run.config.model.sampler,
                    'sampling_s': round(seconds, 1), **pitch_report(clips, labels),
                    **noise_distance(FLAGS.num),
                    'data_clips_total_variation': pitch_report(data.x)['total_variation'],
                    **kept, **nll}))


if __name__ == '__main__':
  app.run(main)
