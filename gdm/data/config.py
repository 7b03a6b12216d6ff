"""The `data` section of a run's config (with `data.audio` for audio clips), and the pixel
format the model sees."""
import dataclasses

from gdm.utils.schema import choice, require, section

SCALES = ('minus_one_one', 'zero_one', 'none')
BINARIZE = ('none', 'static', 'dynamic')


@dataclasses.dataclass(frozen=True)
class PixelFormat:
  """How uint8 images become model inputs: what preprocessing, likelihoods and pictures need.
  Vectors pass through unchanged whatever this says."""
  scale: str = 'minus_one_one'   # minus_one_one | zero_one | none
  dequantize: bool = False       # uniform dequantization of 8-bit images
  binarize: str = 'none'         # none | static | dynamic

  def __post_init__(self):
    choice(self.scale, SCALES, 'data.scale', 'pixel scale')
    choice(self.binarize, BINARIZE, 'data.binarize', 'binarization')
    # Bernoulli(x/255) already makes the data discrete in {0, 1}; noise would blur it.
    require(not (self.dequantize and self.binarize != 'none'), 'data.binarize',
            self.binarize, 'and data.dequantize=True exclude each other')


@section
class AudioDataConfig:
  """How audio datasets become fixed-length mono clips (image and vector data ignore it)."""
  sample_rate: int = 0          # required rate in Hz: a file or dataset at another rate is an
                                # error (nothing is resampled); 0 = the dataset's own rate
  length: int = 0               # samples per clip: longer clips are cut after `length`, shorter
                                # ones padded with silence; 0 = the dataset's default

  def __post_init__(self):
    require(self.sample_rate >= 0, 'sample_rate', self.sample_rate,
            "must be >= 0 (0 = the dataset's own)")
    require(self.length >= 0, 'length', self.length, "must be >= 0 (0 = the dataset's default)")


@section
class DataConfig:
  name: str = 'moons'
  data_dir: str = ''            # tfds data_dir, or the folder for `folder` / `mnist_idx`
  train_split: str = 'train'
  eval_split: str = 'test'
  num_examples: int = 0         # embedded toys: size of each split; 0 = dataset default
  image_size: int = 0           # resize images to this square size; 0 = keep
  scale: str = 'minus_one_one'  # minus_one_one | zero_one | none
  dequantize: bool = False      # uniform dequantization of 8-bit images
  binarize: str = 'none'        # none | static | dynamic
  random_flip: bool = False     # random horizontal flip (training split only)
  shuffle: bool = True
  skip_corrupt: bool = False    # folder: leave out unreadable image files (and count them)
  audio: AudioDataConfig = AudioDataConfig()

  def __post_init__(self):
    require(self.num_examples >= 0, 'num_examples', self.num_examples,
            'must be >= 0 (0 = the dataset default)')
    require(self.image_size >= 0, 'image_size', self.image_size, 'must be >= 0 (0 = keep)')
    choice(self.scale, SCALES, 'scale', 'pixel scale')
    choice(self.binarize, BINARIZE, 'binarize', 'binarization')
    require(not (self.dequantize and self.binarize != 'none'), 'binarize', self.binarize,
            'and data.dequantize=True exclude each other')

  @property
  def pixels(self) -> PixelFormat:
    return PixelFormat(self.scale, self.dequantize, self.binarize)
