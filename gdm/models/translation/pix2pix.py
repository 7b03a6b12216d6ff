"""pix2pix (Isola et al., 2017): a U-Net G(x, noise) and a conditional PatchGAN D(x, y) on
paired data, G minimising gan_weight * L_cGAN + l1_weight * ||y - G(x)||_1 (eq. 4; lambda
100), D the pair's discriminator loss on (x, y) against (x, G(x)).

Two players: the discriminator, then the generator (the paper's alternation); each its own
optimizer (generator: train.optimizer, discriminator: model.d_optimizer). The noise is the
U-Net's dropout, on at test time too (model.pix2pix.eval_dropout). Train metrics: D's scores
and accuracy; G's adversarial and L1 terms. Evaluation, per held-out pair: `loss` (G's
objective), `l1` (share of the pixel range), `psnr`, `ssim` of G(x) against y, and D's
scores on the pair.
"""
import dataclasses
import functools

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.models.translation import family
from gdm.models.translation.config import Pix2PixSettings
from gdm.models.translation.family import Shared
from gdm.models.translation.nets import UNetGenerator
from gdm.train.config import RunConfig
from gdm.train.players import Player


@dataclasses.dataclass(frozen=True)
class Pix2Pix:
  shared: Shared
  settings: Pix2PixSettings
  generator: nn.Module
  discriminator: nn.Module


def build(run: RunConfig, info) -> Pix2Pix:
  s = run.model.pix2pix
  sh = family.build_shared(run, info, s)
  generator = UNetGenerator(s.channels, info.target_shape[-1], s.norm, s.dropout,
                            s.dropout_levels, sh.output, sh.dtype)
  return Pix2Pix(sh, s, generator, family.discriminator(sh, s.norm))


def generate(p2p: Pix2Pix, p, x, key, train: bool):
  """G(x) with dropout drawn from `key` in training and, with eval_dropout, at test time."""
  noisy = train or p2p.settings.eval_dropout
  return p2p.generator.apply({'params': p}, x, not noisy, rngs={'dropout': key})


def _pairs(x, y):
  return jnp.concatenate([x, y], -1)     # D judges the image with its source


def _batch(p2p: Pix2Pix, batch, key):
  k_jitter, k_g = jax.random.split(key)
  x, y = family.jitter(p2p.shared, batch['x'], batch['y'], k_jitter)
  return x, y, k_g


def discriminator_loss(p2p: Pix2Pix, params, model_state, batch, key, step):
  del step
  sh = p2p.shared
  x, y, k_g = _batch(p2p, batch, key)
  fake = jax.lax.stop_gradient(generate(p2p, params['generator'], x, k_g, True))
  dp, stats = params['discriminator'], model_state['discriminator']
  real, new_stats = family.scores(p2p.discriminator, dp, stats, _pairs(x, y), True)
  fake_scores, _ = family.scores(p2p.discriminator, dp, stats, _pairs(x, fake))
  loss = family.per_example(sh.loss.d_loss, real, fake_scores).mean()
  metrics = {k: v.mean() for k, v in family.d_metrics(sh, real, fake_scores).items()}
  return loss, (metrics, {**model_state, 'discriminator': new_stats})


def generator_terms(p2p: Pix2Pix, params, model_state, x, y, key, train: bool):
  """Per example: (G's objective, adversarial term, L1 term, fake score map, real map)."""
  sh = p2p.shared
  fake = generate(p2p, params['generator'], x, key, train)
  dp, stats = params['discriminator'], model_state['discriminator']
  fake_scores, _ = family.scores(p2p.discriminator, dp, stats, _pairs(x, fake))
  real = (family.scores(p2p.discriminator, dp, stats, _pairs(x, y))[0]
          if sh.loss.g_uses_real or not train else None)
  adversarial = family.per_example(sh.loss.g_loss, real, fake_scores)
  l1 = family.mean_abs(fake, y)
  total = sh.gan_weight * adversarial + p2p.settings.l1_weight * l1
  return total, adversarial, l1, fake_scores, real, fake


def generator_loss(p2p: Pix2Pix, params, model_state, batch, key, step):
  del step
  x, y, k_g = _batch(p2p, batch, key)
  total, adversarial, l1, fake_scores, _, _ = generator_terms(p2p, params, model_state, x, y,
                                                              k_g, True)
  metrics = {'adversarial': adversarial.mean(), 'l1': l1.mean(),
             'fake_score': fake_scores.mean()}
  return total.mean(), (metrics, model_state)


def players(p2p: Pix2Pix, g_opt, d_opt) -> tuple[Player, ...]:
  bind = functools.partial
  return (Player('discriminator', bind(discriminator_loss, p2p), d_opt),
          Player('generator', bind(generator_loss, p2p), g_opt))


# --- the Model's other functions ----------------------------------------------------------

def init(p2p: Pix2Pix, key, batch):
  k_g, k_d = jax.random.split(key)
  x, y = batch['x'][:2], batch['y'][:2]
  g_params = p2p.generator.init(k_g, x)['params']
  d_params, d_stats = family.init_discriminator(p2p.discriminator, k_d, _pairs(x, y))
  return {'discriminator': d_params, 'generator': g_params}, {'discriminator': d_stats}


def translate(p2p: Pix2Pix, params, model_state, batch, key):
  return generate(p2p, params['generator'], batch['x'], key, False)


def evaluate(p2p: Pix2Pix, params, model_state, batch, key):
  x, y = batch['x'], batch['y']
  total, adversarial, l1, fake_scores, real, fake = generator_terms(
      p2p, params, model_state, x, y, key, False)
  return {'loss': total, 'adversarial': adversarial, 'l1_loss': l1,
          **family.image_scores(p2p.shared, fake, y),
          **family.d_metrics(p2p.shared, real, fake_scores)}


def sample(p2p: Pix2Pix, params, model_state, key, num, reference):
  return generate(p2p, params['generator'], family.rows(reference['x'], num), key, False)


def visualize(p2p: Pix2Pix, params, model_state, batch, key):
  """One row per example: source, translation, target."""
  x = batch['x'][:family.GRID_ROWS]
  return {'translations': family.grid(x, translate(p2p, params, model_state, {'x': x}, key),
                                      batch['y'][:family.GRID_ROWS])}
