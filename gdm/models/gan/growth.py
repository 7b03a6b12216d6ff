"""Progressive growing (Karras et al., 2018, Sec. 2) as pure functions of the train step.

Resolutions are 4 * 2^l for levels l = 0 .. num_levels - 1, the last the image size. Training
spends `stable_steps` at 4x4, then for each new level fades it in over `fade_steps` (alpha
0 -> 1) and trains it `stable_steps` more; after the last fade-in it stays at the full
resolution. The networks hold every level's parameters from the start, so the parameter
tree, the optimizer state and the checkpoints never change shape, and a resumed run at any
step (mid fade-in included) computes exactly what an uninterrupted one does.

Every level's network is compiled once; `apply_grown` picks the active one with
`lax.switch` on the step (the official code's "recursive" structure), so a step costs what
the active resolution costs. On CPU (`all_levels`, gdm/utils/branching.py) every level's
network runs and the active one's output is selected instead (172-177 ms against the
switch's 1.9 s for the G+D gradient at 8x8): about 4/3 of the full resolution's cost, the
same outputs and gradients up to rounding. Networks take and give images at the full
resolution: the generator's output is upscaled (nearest
neighbour), the discriminator averages its input down, and during a fade-in the real images
are blended between the two resolutions as the generator's output is (ibid., Sec. 2).
"""
import dataclasses

import jax
import jax.numpy as jnp

from gdm.utils import branching

BASE_RESOLUTION = 4


@dataclasses.dataclass(frozen=True)
class Growth:
  num_levels: int
  stable_steps: int
  fade_steps: int
  all_levels: bool = False      # run every level and select (fast on CPU), else lax.switch

  def resolution(self, level: int) -> int:
    return BASE_RESOLUTION * 2 ** level

  @property
  def full_steps(self) -> int:
    """The step at which the last fade-in ends (alpha reaches 1 at full resolution)."""
    if self.num_levels == 1:
      return 0
    return self.stable_steps + (self.num_levels - 2) * self._period + self.fade_steps

  @property
  def _period(self) -> int:
    return self.fade_steps + self.stable_steps

  def level_and_alpha(self, step):
    """(level int32, alpha float32) at a (traced) train step."""
    step = jnp.asarray(step, jnp.int32)
    grown = jnp.maximum(step - self.stable_steps, 0)
    phase = grown // self._period                     # fade-ins begun, minus one
    level = jnp.where(step < self.stable_steps, 0,
                      jnp.minimum(phase + 1, self.num_levels - 1))
    within = (grown - phase * self._period).astype(jnp.float32)
    fading = (step >= self.stable_steps) & (phase + 1 <= self.num_levels - 1)
    alpha = jnp.where(fading, jnp.minimum(within / self.fade_steps, 1.0), 1.0)
    return level.astype(jnp.int32), alpha.astype(jnp.float32)


def levels_for(image_size: int) -> int:
  """Number of levels from 4x4 to `image_size` (a power of two >= 4), else 0."""
  if image_size < BASE_RESOLUTION or image_size & (image_size - 1):
    return 0
  return image_size.bit_length() - BASE_RESOLUTION.bit_length() + 1


def upscale(x, factor: int):
  """Nearest-neighbour upsampling of NHWC maps by an integer factor."""
  if factor == 1:
    return x
  return jnp.repeat(jnp.repeat(x, factor, axis=1), factor, axis=2)


def downscale(x, factor: int):
  """Average pooling of NHWC maps over factor x factor blocks."""
  if factor == 1:
    return x
  b, h, w, c = x.shape
  return x.reshape(b, h // factor, factor, w // factor, factor, c).mean(axis=(2, 4))


def lerp(a, b, t):
  return a + (b - a) * t


def _blend_at(level: int, x, alpha):
  """Real images as the networks see them at `level`: the level's resolution, during its
  fade-in blended with the one below, shown at the full resolution."""
  f = x.shape[1] // (BASE_RESOLUTION * 2 ** level)
  low = downscale(x, f)
  if level > 0:
    low = lerp(upscale(downscale(low, 2), 2), low, alpha)
  return upscale(low, f)


def blend_reals(growth: Growth, x, step):
  level, alpha = growth.level_and_alpha(step)
  branches = [lambda v, a, l=l: _blend_at(l, v, a) for l in range(growth.num_levels)]
  return branching.pick(level, branches, x, alpha.astype(x.dtype),
                        run_all=growth.all_levels)


def apply_grown(module, growth: Growth, step, variables, *args):
  """module.apply(variables, *args, level=l, alpha=a) at the level and alpha of `step`."""
  level, alpha = growth.level_and_alpha(step)
  branches = [lambda v, a, *xs, l=l: module.apply(v, *xs, level=l, alpha=a)
              for l in range(growth.num_levels)]
  return branching.pick(level, branches, variables, alpha, *args, run_all=growth.all_levels)
