"""kind='progan': the `model.progan` section and its checks against the data and the run."""
from gdm.data.source import DatasetInfo
from gdm.models.gan.growth import BASE_RESOLUTION, Growth, levels_for
from gdm.utils.branching import run_all_by_default
from gdm.utils.schema import choice, require, section


@section
class ProGANNets:
  """The growing networks (Karras et al., 2018) and their schedule, in train steps."""
  channels: tuple[int, ...] = (128, 128, 64)   # feature maps at 4x4, 8x8, ... the image size
  stable_steps: int = 1000     # at 4x4 first, then after each fade-in
  fade_steps: int = 1000       # each new resolution's fade-in (alpha 0 -> 1)
  mbstd_group: int = 4         # minibatch-stddev group size; 0 = the whole minibatch
  # How a step runs the active resolution: 'switch' (lax.switch: only that level's network),
  # 'all' (every level's, then a select: XLA:CPU runs convs in a switch ~40x slower),
  # 'auto' (all on CPU, switch elsewhere).
  branching: str = 'auto'

  def __post_init__(self):
    require(self.channels and all(c > 0 for c in self.channels), 'channels', self.channels,
            'must list positive widths, one per resolution from 4x4 up')
    require(self.stable_steps >= 1, 'stable_steps', self.stable_steps, 'must be >= 1')
    require(self.fade_steps >= 1, 'fade_steps', self.fade_steps, 'must be >= 1')
    require(self.mbstd_group >= 0, 'mbstd_group', self.mbstd_group,
            'must be >= 0 (0 = the whole minibatch)')
    choice(self.branching, ('auto', 'switch', 'all'), 'branching', 'branching')


def check(m, info: DatasetInfo):
  """The image must be a power-of-two square; one channel count per resolution."""
  if not info.is_image:
    raise ValueError(f"model.kind='progan' needs an image dataset; {info.name!r} is "
                     f"2-D/tabular")
  size = info.shape[0]
  levels = levels_for(size) if info.shape[0] == info.shape[1] else 0
  if not levels:
    raise ValueError(f"model.kind='progan' grows from 4x4 by doubling: the image must be a "
                     f"square power of two >= {BASE_RESOLUTION}, not "
                     f"{info.shape[0]}x{info.shape[1]} (set data.image_size)")
  if len(m.progan.channels) != levels:
    sizes = ', '.join(str(BASE_RESOLUTION * 2 ** l) for l in range(levels))
    raise ValueError(f'model.progan.channels has {len(m.progan.channels)} entries; '
                     f'{size}x{size} images need {levels}, one per resolution ({sizes})')
  if m.conditioning != 'none' or m.info_categorical or m.info_continuous:
    raise ValueError(f"model.kind='progan' is unconditional: set model.conditioning='none' "
                     f"(not {m.conditioning!r}) and no InfoGAN codes")


def growth(m, info: DatasetInfo) -> Growth:
  how = m.progan.branching
  all_levels = run_all_by_default() if how == 'auto' else how == 'all'
  return Growth(levels_for(info.shape[0]), m.progan.stable_steps, m.progan.fade_steps,
                all_levels=all_levels)


def check_run(m, info: DatasetInfo, num_steps: int, batches: dict):
  """The schedule must reach the image size within train.num_steps; the minibatch-stddev
  group must divide every batch the discriminator sees ({dotted key: size})."""
  g = growth(m, info)
  if g.full_steps > num_steps:
    size = info.shape[0]
    raise ValueError(f'model.progan schedule reaches {size}x{size} at step {g.full_steps} '
                     f'(stable_steps={g.stable_steps}, fade_steps={g.fade_steps}, '
                     f'{g.num_levels} resolutions) but train.num_steps={num_steps}: raise '
                     f'train.num_steps or shorten the phases')
  for key, b in batches.items():
    if m.progan.mbstd_group > 0 and b % min(m.progan.mbstd_group, b):
      raise ValueError(f'model.progan.mbstd_group={m.progan.mbstd_group} must divide '
                       f'{key}={b} (or be 0 for the whole minibatch)')


def schedule(run, info: DatasetInfo) -> Growth:
  """The checked growing schedule of a run (a gdm.train.config.RunConfig)."""
  t = run.train
  check_run(run.model, info, t.num_steps,
            {'train.batch_size / train.grad_accum': t.batch_size // t.grad_accum,
             'eval.batch_size': run.eval.batch_size})
  return growth(run.model, info)
