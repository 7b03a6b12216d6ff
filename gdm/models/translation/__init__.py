"""Image-to-image translation: pix2pix (paired) and CycleGAN (unpaired).

config.py    the `model` section (TranslationConfig: `kind`, the PatchGAN `patch`, jitter,
             `d_optimizer`; the variants' own `pix2pix` and `cyclegan` sub-sections) and its
             checks against the data
nets.py      the U-Net and ResNet generators (the PatchGAN is gdm.nn.patchgan's)
family.py    what both variants share: discriminator scores, jitter, image metrics, pictures
pix2pix.py   the pix2pix variant: its players' losses, init, evaluation, translation
cyclegan.py  the CycleGAN variant: the same, with the history buffers in model_state
modes.py     `--mode=translate`: a split or a folder of images translated to .npz and PNGs
The variants are the explicit dict VARIANTS (model.kind -> module); the GAN losses are
gdm.objectives.adversarial's LOSSES. Data is paired or two domains (gdm.data.pairs); every
function sees prepared images `x` (source / domain A) and `y` (target / domain B).
"""
import functools

from gdm.models.binding import bind_model
from gdm.models.translation import cyclegan, pix2pix
from gdm.models.translation.config import TranslationConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer

VARIANTS = {'pix2pix': pix2pix, 'cyclegan': cyclegan}


def make(run: RunConfig, info) -> Model:
  variant = VARIANTS[run.model.kind]
  built = variant.build(run, info)
  g_opt = make_optimizer(run.train.optimizer, run.train.num_steps)
  d_opt = make_optimizer(run.model.d_optimizer, run.train.num_steps)
  return bind_model(variant, built, variant.players(built, g_opt, d_opt),
                    translate=functools.partial(variant.translate, built))


FAMILY = Family('translation', TranslationConfig, make)
