"""WaveNet on the embedded synthetic tones (no download): the default job of
`python -m experiments.audio`.
  python -m experiments.audio --workdir=/tmp/wavenet_tones \
      --config=experiments/configs/audio/wavenet_tones.py
  python -m experiments.audio --workdir=/tmp/wavenet_tones --mode=sample    (or continue)
Four pitches (200-400 Hz at 4 kHz) with probabilities 0.4/0.3/0.2/0.1 (gdm/data/tones.py),
clips of 256 samples; an unconditional 8-bit mu-law WaveNet, 2 stacks of dilations 1..16
(receptive field 64 samples, 3-6 periods). No paper number (the data are ours): the check is
that the samples' pitches follow the data's distribution,
  python -m benchmarks.wavenet_pitch --workdir=/tmp/wavenet_tones --num=1024
Measured (benchmarks/RESULTS.md, "WaveNet and audio"): eval/nll 438.2 nats per clip (2.469
bits per sample) after the 1000 steps; the samples' pitch shares 0.397/0.322/0.233/0.044,
total variation 0.059 from the data's (sampling noise alone: 0.021, 95th percentile 0.037).
"""
from experiments.configs import default
from experiments.configs.audio import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'tones'
  config.data.audio.length = 256
  config.model = common.model_config(
      likelihood='categorical',
      wavenet=dict(channels=16, skip_channels=32, layers_per_stack=5, stacks=2))
  default.set_schedule(config, num_steps=1000, batch_size=16, log_every=100, every=500)
  config.train.optimizer.learning_rate = 2e-3
  config.train.ema_decay = 0.99
  config.eval.batch_size = 64
  config.eval.num_examples = 512
  config.sample.num_samples = 16
  return common.apply_variant(config, variant)
