"""The audio family's `model` section, and the checks that need the dataset too.

Keys shared by every net are flat (`model.likelihood`, `model.sampler`, ...); the WaveNet's
own keys sit in `model.wavenet.*`.
"""
from gdm.data.source import DatasetInfo
from gdm.utils.schema import choice, require, section

LIKELIHOODS = ('categorical', 'logistic_mixture')   # = gdm.models.audio.nets.HEADS
INPUTS = ('one_hot', 'scalar')
SAMPLERS = ('fast', 'naive')                         # = gdm.models.audio.sampling.SAMPLERS


@section
class WaveNetConfig:
  channels: int = 32            # residual channels
  skip_channels: int = 64
  head_channels: int = 0        # width of the output head's hidden 1x1; 0 = skip_channels
  kernel_size: int = 2          # of the dilated convs (the paper's 2)
  input_kernel_size: int = 2    # of the first causal conv
  layers_per_stack: int = 10    # dilations 1, 2, 4, ..., 2^(n-1) in every stack
  stacks: int = 3
  # one_hot: the 256 mu-law codes one-hot (the paper's input); scalar: the level in [-1, 1]
  # as one channel, which gives the first layer the waveform's ordinal values directly.
  input: str = 'one_hot'

  def __post_init__(self):
    for key in ('channels', 'skip_channels', 'layers_per_stack', 'stacks', 'input_kernel_size'):
      require(getattr(self, key) >= 1, key, getattr(self, key), 'must be >= 1')
    choice(self.input, INPUTS, 'input', 'WaveNet input')
    require(self.head_channels >= 0, 'head_channels', self.head_channels,
            'must be >= 0 (0 = skip_channels)')
    require(self.kernel_size >= 2, 'kernel_size', self.kernel_size,
            'must be >= 2 (a dilated conv needs a past tap)')

  @property
  def dilations(self) -> tuple[int, ...]:
    return tuple(2 ** i for i in range(self.layers_per_stack)) * self.stacks


@section
class AudioConfig:
  # categorical: 256-way softmax over the 8-bit mu-law codes (the paper's output);
  # logistic_mixture: a discretized mixture of logistics over the same 256 levels.
  likelihood: str = 'categorical'
  num_mixtures: int = 10        # logistic_mixture components
  conditional: bool = False     # global conditioning on the label (class, speaker, pitch)
  sampler: str = 'fast'         # fast: per-layer queues; naive: the whole net per sample
  prime_samples: int = 0        # --mode=continue: samples given; 0 = the first quarter
  wavenet: WaveNetConfig = WaveNetConfig()

  def __post_init__(self):
    choice(self.likelihood, LIKELIHOODS, 'likelihood', 'audio likelihood')
    choice(self.sampler, SAMPLERS, 'sampler', 'audio sampler')
    require(self.num_mixtures >= 1, 'num_mixtures', self.num_mixtures, 'must be >= 1')
    require(self.prime_samples >= 0, 'prime_samples', self.prime_samples,
            'must be >= 0 (0 = a quarter of the clip)')


def check(m: AudioConfig, info: DatasetInfo):
  """What the model section asks of the data (one-line errors)."""
  if not info.is_audio:
    raise ValueError(f"the audio family needs audio data (data.name='tones', 'wav_folder', "
                     f"'speech_commands', 'spoken_digit' or 'nsynth'); {info.name!r} holds "
                     f'{info.kind}s')
  if m.conditional and info.num_classes <= 0:
    raise ValueError(f'model.conditional=True needs a labelled dataset; {info.name!r} has no '
                     'labels')
  length = info.shape[0]
  if m.prime_samples >= length:
    raise ValueError(f'model.prime_samples={m.prime_samples} must be smaller than the clip '
                     f'length {length} (data.audio.length)')
