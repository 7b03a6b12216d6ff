"""What both translation variants share: the PatchGAN and its scores, the loss pair on score
maps, random jitter, the image metrics, and the pictures.

`build_shared` makes `Shared` once from the config; each variant (pix2pix.py, cyclegan.py)
keeps it in its own built object beside its generators. Scores are D's raw [B, h, w] maps;
a pair's per-example loss is its elementwise loss averaged over the map (every patch is
judged), as the papers' PatchGAN losses average over patches.
"""
import dataclasses

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.data.preprocess import data_range
from gdm.data.source import DatasetInfo
from gdm.metrics import image as image_metrics
from gdm.models.gan.config import output_activation
from gdm.models.translation.config import TranslationConfig, check, discriminator_field
from gdm.nn.patchgan import PatchDiscriminator
from gdm.nn.spectral_norm import COLLECTION
from gdm.objectives import adversarial
from gdm.objectives.adversarial.pair import LossPair, accuracy
from gdm.train.config import RunConfig

GRID_ROWS = 8          # examples in the pictures
SSIM_MIN_SIZE = 11     # SSIM's Gaussian window (gdm.metrics.image.ssim)


@dataclasses.dataclass(frozen=True)
class Shared:
  m: TranslationConfig
  info: DatasetInfo
  loss: LossPair
  gan_weight: float
  output: str                   # the generators' output activation
  data_range: float             # width of the prepared pixel range (PSNR, SSIM, L1)
  data_low: float               # its low end: SSIM's luminance term needs values >= 0
  dtype: jnp.dtype

  @property
  def paired(self) -> bool:
    return self.info.pairing == 'paired'


def build_shared(run: RunConfig, info: DatasetInfo, settings) -> Shared:
  """`settings` is the variant's section (its loss and gan_weight)."""
  check(run.model, run.data, info, run.train.batch_size)
  return Shared(m=run.model, info=info, loss=adversarial.loss_pair(settings.loss),
                gan_weight=settings.gan_weight, output=output_activation(run.data, info),
                data_range=data_range(run.data.pixels, info),
                data_low=-1.0 if run.data.pixels.scale == 'minus_one_one' else 0.0,
                dtype=jnp.dtype(run.train.compute_dtype))


def discriminator(sh: Shared, norm: str) -> nn.Module:
  field, pooled = discriminator_field(sh.m, sh.info.shape[0])
  p = sh.m.patch
  return PatchDiscriminator(field, p.channels, p.max_channels, norm, sh.m.spectral_norm,
                            pooled, sh.dtype)


def init_discriminator(d: nn.Module, key, x) -> tuple[dict, dict]:
  """(params, power-iteration stats) of a discriminator for inputs shaped like x."""
  variables = d.init(key, x, False)
  return variables['params'], dict(variables.get(COLLECTION, {}))


def scores(d: nn.Module, params, stats, x, update: bool = False):
  """(score map [B, h, w], new stats); the stats advance only when `update`."""
  variables = {'params': params, COLLECTION: stats} if stats else {'params': params}
  if update and stats:
    out, new = d.apply(variables, x, True, mutable=[COLLECTION])
    return out, new[COLLECTION]
  return d.apply(variables, x, False), stats


def per_example(loss_fn, real, fake) -> jax.Array:
  """A pair's loss on score maps, averaged over each map: [B]."""
  return loss_fn(real, fake).mean((1, 2))


def d_metrics(sh: Shared, real, fake) -> dict:
  """Per example: mean scores and the share of patches D gets right."""
  return {'real_score': real.mean((1, 2)), 'fake_score': fake.mean((1, 2)),
          'accuracy': accuracy(sh.loss.threshold, real, fake).mean((1, 2))}


def mean_abs(a, b) -> jax.Array:
  return jnp.mean(jnp.abs(a - b), axis=(1, 2, 3))


# --- random jitter -----------------------------------------------------------------------

def _crop(images, key, size: int, crop: tuple[int, int]):
  b, c = images.shape[0], images.shape[-1]
  grown = jax.image.resize(images, (b, size, size, c), 'bilinear')
  k_top, k_left = jax.random.split(key)
  top = jax.random.randint(k_top, (b,), 0, size - crop[0] + 1)
  left = jax.random.randint(k_left, (b,), 0, size - crop[1] + 1)
  return jax.vmap(lambda im, t, l: jax.lax.dynamic_slice(im, (t, l, 0), crop + (c,)))(
      grown, top, left)


def jitter(sh: Shared, x, y, key):
  """Both images resized to jitter_size and cropped back at a random place (the same place
  for the two images of a pair); unchanged when jitter_size is 0."""
  size = sh.m.jitter_size
  if not size:
    return x, y
  k_x, k_y = jax.random.split(key)
  crop = tuple(x.shape[1:3])
  return _crop(x, k_x, size, crop), _crop(y, k_x if sh.paired else k_y, size, crop)


# --- evaluation and pictures -------------------------------------------------------------

def image_scores(sh: Shared, out, target, prefix: str = '') -> dict:
  """Per example: L1 as a share of the pixel range, PSNR (dB) and, for images of at least
  11x11 (its window), SSIM on the range shifted to [0, r] (as on stored pixels), each
  against the target."""
  r, low = sh.data_range, sh.data_low
  values = {'l1': mean_abs(out, target) / r, 'psnr': image_metrics.psnr(out, target, r)}
  if min(out.shape[1:3]) >= SSIM_MIN_SIZE:
    values['ssim'] = image_metrics.ssim(out - low, target - low, r)
  return {prefix + k: v for k, v in values.items()}


def rows(reference_x, num: int):
  """`num` inputs from the reference batch, repeated when it has fewer."""
  return reference_x[jnp.arange(num) % reference_x.shape[0]]


def grid(*columns, rows: int = GRID_ROWS) -> jax.Array:
  """[rows, cols, H, W, C] of image columns [B, H, W, C_i] (their first `rows` examples);
  gray columns are shown as colour where another column is in colour."""
  c = max(col.shape[-1] for col in columns)
  n = min(rows, columns[0].shape[0])
  cols = [jnp.broadcast_to(col[:n], col[:n].shape[:3] + (c,)) for col in columns]
  return jnp.stack(cols, 1)
