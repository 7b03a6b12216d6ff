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
clips (one such draw, read back through the same pitch estimate). A conditional model is also scored on how
often a clip has its label's pitch.
"""
import json
import time

import jax
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
  sample = jax.jit(run.model.sample, static_argnums=3)
  start = time.perf_counter()
  clips = np.asarray(sample(run.params, run.model_state, jax.random.key(FLAGS.seed),
                            FLAGS.num, {}))
  seconds = time.perf_counter() - start
  labels = (np.arange(FLAGS.num) % len(tones.PITCHES_HZ) if run.config.model.conditional
            else None)
  data = tones.make_source('test', FLAGS.num, run.info.shape[0])
  a = family.build(run.config, run.info)
  kept = {f'kept_after_{p}': kept_pitch(a, run.params, data, int(p),
                                        jax.random.key(FLAGS.seed + 1)) for p in FLAGS.primes}
  print(json.dumps({'step': run.step, 'sampler': run.config.model.sampler,
                    'sampling_s': round(seconds, 1), **pitch_report(clips, labels),
                    **noise_distance(FLAGS.num),
                    'data_clips_total_variation': pitch_report(data.x)['total_variation'],
                    **kept}))


if __name__ == '__main__':
  app.run(main)
