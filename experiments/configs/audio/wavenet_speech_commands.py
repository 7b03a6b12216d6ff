"""WaveNet on tfds speech_commands (one-second clips at 16 kHz, 8-bit mu-law), globally
conditioned on the word (12 classes), 3 stacks of dilations 1..512 as in the paper
(receptive field 3,071 samples, 0.19 s).
  python -m experiments.audio --workdir=/tmp/wavenet_speech_commands \
      --config=experiments/configs/audio/wavenet_speech_commands.py \
      --config.data.data_dir=TFDS_DIR
  python -m experiments.audio --workdir=/tmp/wavenet_speech_commands \
      --config=experiments/configs/audio/wavenet_speech_commands.py --mode=sample
The data must be prepared first (`tfds build speech_commands`, which needs TensorFlow;
reading it does too, see gdm/data/tfds_audio.py).

Paper number: none comparable. WaveNet (van den Oord et al., 2016) reports listening tests
(MOS) and TIMIT phone error, no likelihood on Speech Commands. SaShiMi (Goel et al., 2022)
compares an unconditional WaveNet on SC09 (the ten digit words of this dataset; its samples
page points to its Table 6), but that table's numbers could not be retrieved with the search
tool here, so none is quoted; SC09 also differs from these 12 conditioned classes. Not run
to convergence here (no accelerator, no data on this machine); its smoke variant runs on
tfds mock data in the test suite. Sampling speed: benchmarks/RESULTS.md ("WaveNet and
audio").
"""
from experiments.configs import default
from experiments.configs.audio import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'speech_commands'
  config.data.eval_split = 'validation'
  config.data.audio.sample_rate = 16000
  config.data.audio.length = 16000
  config.model = common.model_config(
      likelihood='categorical', conditional=True,
      wavenet=dict(channels=64, skip_channels=128, head_channels=256, layers_per_stack=10,
                   stacks=3))
  default.set_schedule(config, num_steps=200_000, batch_size=8, log_every=500, every=10_000)
  config.train.optimizer.learning_rate = 1e-3
  config.train.optimizer.clip_norm = 1.0
  config.eval.batch_size = 16
  config.eval.num_examples = 1024
  config.sample.num_samples = 12
  return common.apply_variant(config, variant)
