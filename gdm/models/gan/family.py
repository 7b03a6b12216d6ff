"""The GAN's functions: both players' losses, init, evaluation, sampling, pictures.

Every function takes the `GAN` that `build` makes once from the config; the package's
`make` binds them into the trainer's `Model`. The loss pair and the regulariser come from
the explicit dicts of gdm.objectives.adversarial, so nothing here depends on their names.

Spectral norm's power-iteration vectors live in `model_state['discriminator']`; they advance
once per discriminator update (its pass on real data) and are read everywhere else. BigGAN's
generator state and ProGAN's growth: net_calls.py.
"""
import dataclasses
from typing import Callable

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.data.source import DatasetInfo
from gdm.metrics import mode_coverage
from gdm.models.gan import kinds, nets
from gdm.models.gan.growth import Growth
from gdm.models.gan.net_calls import after_step, apply_net, at_step, real_input, run_generator
from gdm.models.gan.config import GANConfig, check, output_activation
from gdm.nn.labels import one_hot
from gdm.nn.spectral_norm import COLLECTION
from gdm.objectives import adversarial
from gdm.objectives.adversarial import auxiliary
from gdm.objectives.adversarial.drift import drift_penalty
from gdm.objectives.adversarial.orthogonal import orthogonal_regularizer
from gdm.objectives.adversarial.pair import LossPair, accuracy, pair_metrics
from gdm.sampling.truncation import truncated_normal
from gdm.train.config import RunConfig

GRID_COLS = 8    # columns of the image grids (class grid here, the modes' grids)


@dataclasses.dataclass(frozen=True)
class GAN:
  """What every function of the family needs, built once from the config."""
  m: GANConfig
  info: DatasetInfo
  generator: nn.Module
  discriminator: nn.Module
  loss: LossPair
  regularizer: Callable | None      # a gdm.objectives.adversarial.REGULARIZERS term
  num_classes: int                  # > 0: conditioned on labels
  label_to_z: bool                  # the one-hot label is appended to z
  label_to_x: bool                  # ... and to D's input (concat conditioning)
  code_entropy: float               # H(c) of the InfoGAN codes
  mixture: tuple | None             # (centres, std) of a Gaussian-mixture toy
  growth: Growth | None = None     # a growing kind's schedule (kinds.GROWING)

  @property
  def has_codes(self) -> bool:
    return bool(self.m.info_categorical or self.m.info_continuous)


def build_networks(m: GANConfig, info: DatasetInfo, out: str, dtype) -> tuple[nn.Module, ...]:
  """(generator, discriminator) flax modules; `out` the generator's output activation."""
  num_classes = info.num_classes if m.conditioning != 'none' else 0
  heads = nets.HeadSpec(
      projection_classes=num_classes if m.conditioning == 'projection' else 0,
      aux_classes=num_classes if m.conditioning == 'acgan' else 0,
      q_categorical=m.info_categorical, q_continuous=m.info_continuous)
  cbn = num_classes if m.conditioning == 'projection' else 0
  if m.kind in kinds.NETWORKS:
    return kinds.NETWORKS[m.kind](m, info, out, dtype, heads)
  if m.kind == 'mlp':
    p = m.mlp
    return (nets.MLPGenerator(p.g_hidden, tuple(info.shape), p.g_act, out, dtype),
            nets.MLPDiscriminator(p.d_hidden, p.d_act, heads, m.spectral_norm, dtype))
  c, size, channels = m.conv, info.shape[0], info.shape[-1]
  if m.kind == 'dcgan':
    return (nets.DCGANGenerator(c.g_channels, size, channels, cbn, c.attention_res, out,
                                dtype),
            nets.DCGANDiscriminator(c.d_channels, c.d_norm, c.attention_res, heads,
                                    m.spectral_norm, dtype))
  return (nets.ResNetGenerator(c.g_channels, size, channels, cbn, c.attention_res, out, dtype),
          nets.ResNetDiscriminator(c.d_channels, c.d_downsample, c.attention_res, heads,
                                   m.spectral_norm, dtype))


def build(run: RunConfig, info: DatasetInfo) -> GAN:
  m = run.model
  check(m, run.data, info)
  out = output_activation(run.data, info)
  generator, discriminator = build_networks(m, info, out, jnp.dtype(run.train.compute_dtype))
  num_classes = info.num_classes if m.conditioning != 'none' else 0
  return GAN(m=m, info=info, generator=generator, discriminator=discriminator,
             loss=adversarial.loss_pair(m.loss),
             regularizer=adversarial.REGULARIZERS.get(m.regularizer),
             num_classes=num_classes,
             label_to_z=bool(num_classes) and (m.conditioning != 'projection'
                                                or m.kind == 'mlp'),
             label_to_x=m.conditioning == 'concat',
             code_entropy=auxiliary.info_code_entropy(m.info_categorical, m.info_continuous),
             mixture=None if info.is_image else mode_coverage.MIXTURES.get(info.name),
             growth=kinds.GROWING[m.kind](run, info) if m.kind in kinds.GROWING else None)


def labels(gan: GAN, batch):
  return batch['y'] if gan.num_classes else None


# --- latent inputs and the generator ------------------------------------------------------

def draw(gan: GAN, key, n, truncation: float = 0.0):
  """z [n, latent_dim] ~ N(0, I) (entries beyond `truncation` resampled when > 0) and InfoGAN
  codes (categorical index, continuous U[-1, 1])."""
  m = gan.m
  k_z, k_cat, k_cont = jax.random.split(key, 3)
  z = (truncated_normal(k_z, (n, m.latent_dim), truncation) if truncation > 0
       else jax.random.normal(k_z, (n, m.latent_dim)))
  codes = {}
  if m.info_categorical:
    codes['cat'] = jax.random.randint(k_cat, (n,), 0, m.info_categorical)
  if m.info_continuous:
    codes['cont'] = jax.random.uniform(k_cont, (n, m.info_continuous), minval=-1.0, maxval=1.0)
  return z, codes


def generator_input(gan: GAN, z, y, codes):
  parts = [z]
  if gan.label_to_z:
    parts.append(one_hot(y, gan.num_classes))
  if gan.m.info_categorical:
    parts.append(jax.nn.one_hot(codes['cat'], gan.m.info_categorical))
  if gan.m.info_continuous:
    parts.append(codes['cont'])
  return jnp.concatenate(parts, -1) if len(parts) > 1 else z


def generate(gan: GAN, p, z, y, codes, model_state=None):
  """Generator output in data space from z, labels y and codes (`model_state`: what a
  stateful or growing generator reads)."""
  return run_generator(gan, p, model_state, generator_input(gan, z, y, codes), y)[0]


# --- the discriminator --------------------------------------------------------------------

def condition_input(gan: GAN, x, y):
  if not gan.label_to_x:
    return x
  c = one_hot(y, gan.num_classes).astype(x.dtype)
  if x.ndim == 4:
    c = jnp.broadcast_to(c[:, None, None, :], x.shape[:3] + (gan.num_classes,))
  return jnp.concatenate([x, c], -1)


def discriminate(gan: GAN, p, stats, x, y, update, model_state=None):
  """(outputs dict, new power-iteration stats); stats advance only when `update`."""
  variables = {'params': p, COLLECTION: stats} if stats else {'params': p}
  xin = condition_input(gan, x, y)
  if update and stats:
    out, new = gan.discriminator.apply(variables, xin, y, True, mutable=[COLLECTION])
    return out, new[COLLECTION]
  return apply_net(gan, gan.discriminator, variables, model_state, xin, y, False), stats


def with_info_term(gan: GAN, loss, metrics, out, codes):
  """InfoGAN: both players maximise info_weight * L_I (the recognition head's bound)."""
  if not gan.has_codes:
    return loss
  log_q = auxiliary.info_log_likelihood(out.get('q_logits'), codes.get('cat'),
                                        out.get('q_mean'), codes.get('cont')).mean()
  metrics['mi_lower_bound'] = gan.code_entropy + log_q
  return loss - gan.m.info_weight * log_q


# --- the players' losses ------------------------------------------------------------------

def discriminator_loss(gan: GAN, params, model_state, batch, key, step):
  m, y, ms = gan.m, labels(gan, batch), at_step(gan, model_state, step)
  x = real_input(gan, batch['x'], ms)
  k_z, k_penalty = jax.random.split(key)
  z, codes = draw(gan, k_z, x.shape[0])
  fake = jax.lax.stop_gradient(generate(gan, params['generator'], z, y, codes, ms))
  dp, stats = params['discriminator'], ms['discriminator']
  real_out, new_stats = discriminate(gan, dp, stats, x, y, True, ms)
  fake_out, _ = discriminate(gan, dp, stats, fake, y, False, ms)
  real, fake_score = real_out['score'], fake_out['score']
  loss = gan.loss.d_loss(real, fake_score).mean()
  metrics = {'real_score': real.mean(), 'fake_score': fake_score.mean(),
             'accuracy': accuracy(gan.loss.threshold, real, fake_score).mean()}
  if m.drift_weight > 0:
    metrics['drift_penalty'] = drift_penalty(real).mean()
    loss = loss + m.drift_weight * metrics['drift_penalty']
  if gan.regularizer is not None:
    critic = lambda v: discriminate(gan, dp, stats, v, y, False, ms)[0]['score']  # noqa: E731
    term, penalties = gan.regularizer(critic, x, fake, k_penalty, m.penalty_weight)
    loss = loss + term
    metrics.update(penalties)
  if m.conditioning == 'acgan':
    aux = (auxiliary.classification_loss(real_out['class_logits'], y)
           + auxiliary.classification_loss(fake_out['class_logits'], y)).mean()
    loss = loss + m.aux_weight * aux
    metrics['aux_loss'] = aux
    metrics['class_accuracy'] = jnp.mean(jnp.argmax(real_out['class_logits'], -1) == y)
  loss = with_info_term(gan, loss, metrics, fake_out, codes)
  return loss, (metrics, after_step(gan, {**ms, 'discriminator': new_stats}, step))


def generator_loss(gan: GAN, params, model_state, batch, key, step):
  """The generator's loss on D's scores of its samples, and, for a loss that compares them
  (relativistic), of the real batch: D's real pass runs only then."""
  m, x, y = gan.m, batch['x'], labels(gan, batch)
  ms = at_step(gan, model_state, step)
  z, codes = draw(gan, key, x.shape[0])
  fake, g_stats = run_generator(gan, params['generator'], ms, generator_input(gan, z, y, codes),
                                y, update=True)
  dp, stats = params['discriminator'], ms['discriminator']
  out, _ = discriminate(gan, dp, stats, fake, y, False, ms)
  real = discriminate(gan, dp, stats, real_input(gan, x, ms), y, False, ms)[0]['score'] \
      if gan.loss.g_uses_real else None
  loss = gan.loss.g_loss(real, out['score']).mean()
  metrics = {'fake_score': out['score'].mean()}
  if m.ortho_weight > 0:
    metrics['ortho_penalty'] = orthogonal_regularizer(params['generator'])
    loss = loss + m.ortho_weight * metrics['ortho_penalty']
  if m.conditioning == 'acgan':
    aux = auxiliary.classification_loss(out['class_logits'], y).mean()
    loss = loss + m.aux_weight * aux
    metrics['aux_loss'] = aux
  loss = with_info_term(gan, loss, metrics, out, codes)
  if g_stats is not None:
    ms = {**ms, 'generator': g_stats}
  return loss, (metrics, after_step(gan, ms, step))


# --- the Model's other functions ----------------------------------------------------------

def init(gan: GAN, key, batch):
  k_g, k_d, k_z = jax.random.split(key, 3)
  x, y = batch['x'][:2], labels(gan, batch)
  y = None if y is None else y[:2]
  z, codes = draw(gan, k_z, x.shape[0])
  g_vars = gan.generator.init(k_g, generator_input(gan, z, y, codes), y)
  d_vars = gan.discriminator.init(k_d, condition_input(gan, x, y), y, False)
  model_state = {'discriminator': dict(d_vars.get(COLLECTION, {}))}
  if g_vars.get(COLLECTION):
    model_state['generator'] = dict(g_vars[COLLECTION])
  return ({'discriminator': d_vars['params'], 'generator': g_vars['params']},
          after_step(gan, model_state, -1))


def evaluate(gan: GAN, params, model_state, batch, key):
  """Per example: the discriminator loss on (real i, fake i) as `loss`, the generator loss,
  scores and accuracy; on mixture toys the high-quality indicator of each fake and the
  modes covered by this batch's fakes (a batch statistic repeated per example)."""
  ms, y = model_state, labels(gan, batch)
  x = real_input(gan, batch['x'], ms)
  z, codes = draw(gan, key, x.shape[0])
  fake = generate(gan, params['generator'], z, y, codes, ms)
  dp, stats = params['discriminator'], ms['discriminator']
  real = discriminate(gan, dp, stats, x, y, False, ms)[0]['score']
  fake_score = discriminate(gan, dp, stats, fake, y, False, ms)[0]['score']
  out = pair_metrics(gan.loss, real, fake_score)
  if gan.mixture is not None:
    centers, std = gan.mixture
    out['high_quality'] = mode_coverage.high_quality(fake, centers, std)
    covered = jnp.sum(mode_coverage.mode_counts(fake, centers, std) >= 1)
    out['modes_covered'] = jnp.full((x.shape[0],), covered, jnp.float32)
  return out


def sample(gan: GAN, params, model_state, key, num, reference):
  """`num` samples, labels cycling through the classes; z truncated by model.truncation."""
  y = jnp.arange(num) % gan.num_classes if gan.num_classes else None
  z, codes = draw(gan, key, num, gan.m.truncation)
  return generate(gan, params['generator'], z, y, codes, model_state)


def grid(gan: GAN, out, rows, cols):
  """Images as a [rows, cols, H, W, C] grid; vectors stay an [N, D] point cloud."""
  return out.reshape((rows, cols) + out.shape[1:]) if gan.info.is_image else out


def class_grid(gan: GAN, params, key, model_state=None):
  """One row per class, one z (and code) per column."""
  c = gan.num_classes
  z, codes = draw(gan, key, GRID_COLS)
  y = jnp.repeat(jnp.arange(c), GRID_COLS)
  tile = lambda v: jnp.tile(v, (c,) + (1,) * (v.ndim - 1))  # noqa: E731
  out = generate(gan, params['generator'], tile(z), y, jax.tree.map(tile, codes), model_state)
  if gan.info.is_image:
    return {'samples': grid(gan, out, c, GRID_COLS)}
  return {'samples': out, 'labels': y}


def visualize(gan: GAN, params, model_state, batch, key):
  """Vectors: the real batch, to set beside the samples' scatter; conditional images: the
  class grid. (Unconditional image samples are drawn by the evaluator itself.)"""
  if not gan.info.is_image:
    return {'data': batch['x']}
  return class_grid(gan, params, key, model_state) if gan.num_classes else {}
