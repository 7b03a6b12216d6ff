"""Generative adversarial networks: GAN, DCGAN, WGAN(-GP), LSGAN, hinge/SNGAN (every loss of
gdm.objectives.adversarial), SAGAN attention, conditional GAN, ACGAN, projection
discriminator and InfoGAN.

config.py  the `model` section (GANConfig: flat shared keys, `mlp` and `conv` nets,
           `d_optimizer`) and its checks against the data
nets.py    the generators and discriminators (mlp, dcgan, resnet) and their heads
family.py  the model's functions: both players' losses, evaluation, sampling, pictures
modes.py   the launcher's extra modes
stylegan2_*.py  kind='stylegan2' (Karras et al., 2020), its own functions and players: config
           (model.stylegan2), nets, latents (W space), family (losses), modes, model (make)
The losses (`model.loss`) and regularisers (`model.regularizer`) are the explicit dicts of
gdm.objectives.adversarial; `model.weight_clip` and `model.spectral_norm` are independent
switches.

Two players: the discriminator makes `model.n_critic` updates per train step (each on a fresh
real micro-batch), then the generator makes one. Each has its own optimizer: the generator
`train.optimizer`, the discriminator `model.d_optimizer` (two time-scale update rule, Heusel
et al., 2017, when the learning rates differ). Sampling, evaluation and the launcher modes
use the trainer's EMA of the generator weights (Yazici et al., 2019).

Conditioning (`model.conditioning`, needs labels): `concat` appends the one-hot label to z
and to D's input (Mirza & Osindero, 2014); `acgan` appends it to z and trains an auxiliary
classifier head on D (Odena et al., 2017); `projection` uses class-conditional batch norm in
conv generators (label concatenated for MLPs) and the projection discriminator (Miyato &
Koyama, 2018). InfoGAN codes (`model.info_categorical`, `model.info_continuous`, Chen et al.,
2016) are appended to z; both players maximise info_weight * L_I, L_I the variational lower
bound on I(c; G(z, c)) from D's recognition head.

Train metrics per player (prefixed `discriminator/`, `generator/`): D's mean scores on real
and fake data, its accuracy, penalty and auxiliary terms, and each player's gradient norm
(`grad_norm`, from the trainer). Evaluation reports per example the discriminator loss
(`loss`), the generator loss, scores and accuracy, and on `eight_gaussians` / `grid25` the
share of high-quality samples and the modes covered (see gdm.metrics.mode_coverage).
"""
import functools

import optax

from gdm.models.binding import bind_model
from gdm.models.gan import family, modes, stylegan2_model
from gdm.models.gan.config import GANConfig
from gdm.objectives.adversarial.regularizers import clip_weights
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer
from gdm.train.players import Player


# Kinds with their own functions and players; the others share family.py.
ARCHITECTURES = {'stylegan2': stylegan2_model.make}


def make(run: RunConfig, info) -> Model:
  if run.model.kind in ARCHITECTURES:
    return ARCHITECTURES[run.model.kind](run, info)
  if run.sample.truncation_psi != 1.0:
    raise ValueError(f'sample.truncation_psi={run.sample.truncation_psi} needs '
                     f"model.kind='stylegan2' (W-space truncation), not {run.model.kind!r}")
  gan = family.build(run, info)
  m, bind = run.model, functools.partial
  d_opt = make_optimizer(m.d_optimizer, run.train.num_steps * m.n_critic)
  if m.weight_clip > 0:
    d_opt = optax.chain(d_opt, clip_weights(m.weight_clip))
  g_opt = make_optimizer(run.train.optimizer, run.train.num_steps)
  players = (Player('discriminator', bind(family.discriminator_loss, gan), d_opt,
                    steps=m.n_critic),
             Player('generator', bind(family.generator_loss, gan), g_opt))
  return bind_model(family, gan, players,
                    {name: modes.MODES[name] for name in modes.available(gan)},
                    captions=modes.captions(gan))


FAMILY = Family('gan', GANConfig, make)
