"""Generative adversarial networks: GAN, DCGAN, WGAN(-GP), LSGAN, hinge/SNGAN, SAGAN
attention, conditional GAN, ACGAN, projection discriminator and InfoGAN.

Two players: the discriminator makes `model.n_critic` updates per train step (each on a fresh
real micro-batch), then the generator makes one. Each has its own optimizer: the generator
`train.optimizer`, the discriminator `model.d_optimizer` (two time-scale update rule, Heusel
et al., 2017, when the learning rates differ). The loss (`model.loss`) and the
discriminator's regulariser (`model.regularizer`, `model.weight_clip`, `model.spectral_norm`)
are independent switches; the formulas are in gdm.objectives.minimax. Sampling, evaluation
and the launcher modes use the trainer's EMA of the generator weights (Yazici et al., 2019).

Conditioning (`model.conditioning`, needs labels): `concat` appends the one-hot label to z
and to D's input (Mirza & Osindero, 2014); `acgan` appends it to z and trains an auxiliary
classifier head on D (Odena et al., 2017); `projection` uses class-conditional batch norm in
conv generators (label concatenated for MLPs) and the projection discriminator (Miyato &
Koyama, 2018). InfoGAN codes (`model.info_categorical`, `model.info_continuous`, Chen et al.,
2016) are appended to z; both players maximise info_weight * L_I, L_I the variational lower
bound on I(c; G(z, c)) from D's recognition head.

Spectral norm's power-iteration vectors live in `model_state['discriminator']`; they advance
once per discriminator update (its pass on real data) and are read everywhere else.
Train metrics per player (prefixed `discriminator/`, `generator/`): D's mean scores on real
and fake data, its accuracy, penalty and auxiliary terms, and each player's gradient norm
(`grad_norm`, from the trainer). Evaluation reports per example the discriminator loss
(`loss`), the generator loss, scores and accuracy, and on `eight_gaussians` / `grid25` the
share of high-quality samples and the modes covered (see gdm.metrics.mode_coverage).
"""
import jax
import jax.numpy as jnp
import ml_collections
import optax

from gdm.data.source import DatasetInfo
from gdm.metrics import mode_coverage
from gdm.models import gan_modes
from gdm.models import gan_nets as nets
from gdm.train.model import Family, Model
from gdm.nn.conv import check_conv_data, check_levels
from gdm.nn.labels import one_hot
from gdm.nn.mlp import activation
from gdm.nn.spectral_norm import COLLECTION
from gdm.objectives import minimax
from gdm.train.optim import OptimizerConfig, make_optimizer
from gdm.train.players import Player
from gdm.utils import schema
from gdm.utils.checks import check_choice

CONDITIONING = ('none', 'concat', 'acgan', 'projection')


def output_activation(config, info: DatasetInfo) -> str:
  """The generator's last nonlinearity: the range of the prepared data."""
  if not info.is_image:
    return 'linear'
  if config.data.binarize != 'none' or config.data.scale == 'zero_one':
    return 'sigmoid'
  if config.data.scale == 'minus_one_one':
    return 'tanh'
  raise ValueError(f"a GAN generator on images needs data.scale='minus_one_one' or "
                   f"'zero_one' (a bounded output), not {config.data.scale!r}")


def _check_attention(m, info: DatasetInfo):
  if not m.attention_res:
    return
  if m.kind == 'mlp':
    raise ValueError(f'model.attention_res={m.attention_res} needs a conv model (dcgan or '
                     f'resnet), not model.kind=mlp')
  size = info.shape[0]
  ok = sorted(set(nets.generator_resolutions(m.kind, size, m.g_channels))
              & set(nets.discriminator_resolutions(m.kind, size, m.d_channels,
                                                   m.d_downsample)))
  if m.attention_res not in ok:
    raise ValueError(f'model.attention_res={m.attention_res} is not a feature-map size of '
                     f'both networks; choose one of: {", ".join(map(str, ok)) or "none"}')


def check_config(config: ml_collections.ConfigDict, info: DatasetInfo):
  m = config.model
  check_choice(m.kind, nets.KINDS, 'GAN kind', 'model.kind')
  check_choice(m.loss, minimax.LOSSES, 'GAN loss', 'model.loss')
  check_choice(m.regularizer, minimax.REGULARIZERS, 'discriminator regularizer',
               'model.regularizer')
  check_choice(m.conditioning, CONDITIONING, 'conditioning', 'model.conditioning')
  check_choice(m.d_norm, nets.D_NORMS, 'discriminator norm', 'model.d_norm')
  activation(m.act)
  activation(m.d_act)
  if m.n_critic < 1:
    raise ValueError(f'model.n_critic={m.n_critic} must be >= 1 (discriminator updates per '
                     f'generator update)')
  if m.latent_dim < 1:
    raise ValueError(f'model.latent_dim={m.latent_dim} must be >= 1')
  for key in ('penalty_weight', 'weight_clip', 'aux_weight', 'info_weight'):
    if not m[key] >= 0:
      raise ValueError(f'model.{key}={m[key]} must be >= 0')
  if m.info_categorical == 1 or m.info_categorical < 0 or m.info_continuous < 0:
    raise ValueError(f'model.info_categorical={m.info_categorical} must be 0 or >= 2 and '
                     f'model.info_continuous={m.info_continuous} >= 0')
  if m.conditioning != 'none' and info.num_classes <= 0:
    raise ValueError(f'model.conditioning={m.conditioning!r} needs a labelled dataset; '
                     f'{info.name!r} has no labels')
  if m.regularizer != 'none' and m.kind == 'dcgan' and m.d_norm == 'batch':
    raise ValueError(f'model.regularizer={m.regularizer!r} needs per-example critic '
                     f"gradients: use model.d_norm='layer' or 'none', not 'batch'")
  if m.kind == 'dcgan':
    check_conv_data(info, m.g_channels, "model.kind='dcgan'")
    check_levels(info.shape[0], m.d_channels)
  elif m.kind == 'resnet':
    check_conv_data(info, m.g_channels, "model.kind='resnet'")
    if not 0 <= m.d_downsample <= len(m.d_channels):
      raise ValueError(f'model.d_downsample={m.d_downsample} must be in [0, '
                       f'len(model.d_channels)={len(m.d_channels)}]')
    check_levels(info.shape[0], m.d_channels[:m.d_downsample])
  if m.kind != 'mlp' and (not m.g_channels or not m.d_channels):
    raise ValueError('model.g_channels and model.d_channels must list at least one level')
  _check_attention(m, info)
  output_activation(config, info)


def build_networks(config, info: DatasetInfo):
  """(generator, discriminator) flax modules for the config."""
  m = config.model
  dtype = jnp.dtype(config.train.compute_dtype)
  num_classes = info.num_classes if m.conditioning != 'none' else 0
  heads = nets.HeadSpec(
      projection_classes=num_classes if m.conditioning == 'projection' else 0,
      aux_classes=num_classes if m.conditioning == 'acgan' else 0,
      q_categorical=m.info_categorical, q_continuous=m.info_continuous)
  out = output_activation(config, info)
  cbn = num_classes if m.conditioning == 'projection' else 0
  if m.kind == 'mlp':
    return (nets.MLPGenerator(tuple(m.g_hidden), tuple(info.shape), m.act, out, dtype),
            nets.MLPDiscriminator(tuple(m.d_hidden), m.d_act, heads, m.spectral_norm, dtype))
  size, channels = info.shape[0], info.shape[-1]
  if m.kind == 'dcgan':
    return (nets.DCGANGenerator(tuple(m.g_channels), size, channels, cbn, m.attention_res, out,
                                dtype),
            nets.DCGANDiscriminator(tuple(m.d_channels), m.d_norm, m.attention_res, heads,
                                    m.spectral_norm, dtype))
  return (nets.ResNetGenerator(tuple(m.g_channels), size, channels, cbn, m.attention_res, out,
                               dtype),
          nets.ResNetDiscriminator(tuple(m.d_channels), m.d_downsample, m.attention_res, heads,
                                   m.spectral_norm, dtype))


def make(config: ml_collections.ConfigDict, info: DatasetInfo) -> Model:
  check_config(config, info)
  m = config.model
  generator, discriminator = build_networks(config, info)
  num_classes = info.num_classes if m.conditioning != 'none' else 0
  concat_label_to_z = num_classes and (m.conditioning != 'projection' or m.kind == 'mlp')
  concat_label_to_x = m.conditioning == 'concat'
  n_cat, n_cont = m.info_categorical, m.info_continuous
  code_entropy = minimax.info_code_entropy(n_cat, n_cont)
  mixture = mode_coverage.MIXTURES.get(info.name) if not info.is_image else None

  def labels(batch):
    return batch['y'] if num_classes else None

  # --- latent inputs ---
  def draw(key, n):
    """z [n, latent_dim] ~ N(0, I) and InfoGAN codes (categorical index, continuous U[-1, 1])."""
    k_z, k_cat, k_cont = jax.random.split(key, 3)
    z = jax.random.normal(k_z, (n, m.latent_dim))
    codes = {}
    if n_cat:
      codes['cat'] = jax.random.randint(k_cat, (n,), 0, n_cat)
    if n_cont:
      codes['cont'] = jax.random.uniform(k_cont, (n, n_cont), minval=-1.0, maxval=1.0)
    return z, codes

  def generate(p, z, y, codes):
    """Generator output in data space from z, labels y and codes."""
    parts = [z]
    if concat_label_to_z:
      parts.append(one_hot(y, num_classes))
    if n_cat:
      parts.append(jax.nn.one_hot(codes['cat'], n_cat))
    if n_cont:
      parts.append(codes['cont'])
    g_in = jnp.concatenate(parts, -1) if len(parts) > 1 else z
    return generator.apply({'params': p}, g_in, y)

  # --- discriminator ---
  def condition_input(x, y):
    if not concat_label_to_x:
      return x
    c = one_hot(y, num_classes).astype(x.dtype)
    if x.ndim == 4:
      c = jnp.broadcast_to(c[:, None, None, :], x.shape[:3] + (num_classes,))
    return jnp.concatenate([x, c], -1)

  def discriminate(p, stats, x, y, update):
    """(outputs dict, new power-iteration stats); stats advance only when `update`."""
    variables = {'params': p, COLLECTION: stats} if stats else {'params': p}
    xin = condition_input(x, y)
    if update and stats:
      out, new = discriminator.apply(variables, xin, y, True, mutable=[COLLECTION])
      return out, new[COLLECTION]
    return discriminator.apply(variables, xin, y, False), stats

  def info_terms(out, codes):
    """Per-example log Q(c|x) of the recognition head."""
    return minimax.info_log_likelihood(out.get('q_logits'), codes.get('cat'),
                                       out.get('q_mean'), codes.get('cont'))

  def d_loss_fn(params, model_state, batch, key, step):
    del step
    x, y = batch['x'], labels(batch)
    k_z, k_penalty = jax.random.split(key)
    z, codes = draw(k_z, x.shape[0])
    fake = jax.lax.stop_gradient(generate(params['generator'], z, y, codes))
    dp, stats = params['discriminator'], model_state['discriminator']
    real_out, new_stats = discriminate(dp, stats, x, y, True)
    fake_out, _ = discriminate(dp, stats, fake, y, False)
    real, fake_score = real_out['score'], fake_out['score']
    loss = minimax.discriminator_loss(m.loss, real, fake_score).mean()
    metrics = {'real_score': real.mean(), 'fake_score': fake_score.mean(),
               'accuracy': minimax.accuracy(m.loss, real, fake_score).mean()}
    critic = lambda v: discriminate(dp, stats, v, y, False)[0]['score']
    if m.regularizer == 'gradient_penalty':
      penalty = minimax.gradient_penalty(critic, x, fake, k_penalty).mean()
      loss = loss + m.penalty_weight * penalty
      metrics['gradient_penalty'] = penalty
    elif m.regularizer == 'r1':
      penalty = minimax.r1_penalty(critic, x).mean()
      loss = loss + 0.5 * m.penalty_weight * penalty
      metrics['r1_penalty'] = penalty
    if m.conditioning == 'acgan':
      aux = (minimax.classification_loss(real_out['class_logits'], y)
             + minimax.classification_loss(fake_out['class_logits'], y)).mean()
      loss = loss + m.aux_weight * aux
      metrics['aux_loss'] = aux
      metrics['class_accuracy'] = jnp.mean(jnp.argmax(real_out['class_logits'], -1) == y)
    if n_cat or n_cont:
      log_q = info_terms(fake_out, codes).mean()
      loss = loss - m.info_weight * log_q
      metrics['mi_lower_bound'] = code_entropy + log_q
    return loss, (metrics, {**model_state, 'discriminator': new_stats})

  def g_loss_fn(params, model_state, batch, key, step):
    del step
    y = labels(batch)
    z, codes = draw(key, batch['x'].shape[0])
    fake = generate(params['generator'], z, y, codes)
    out, _ = discriminate(params['discriminator'], model_state['discriminator'], fake, y, False)
    loss = minimax.generator_loss(m.loss, out['score']).mean()
    metrics = {'fake_score': out['score'].mean()}
    if m.conditioning == 'acgan':
      aux = minimax.classification_loss(out['class_logits'], y).mean()
      loss = loss + m.aux_weight * aux
      metrics['aux_loss'] = aux
    if n_cat or n_cont:
      log_q = info_terms(out, codes).mean()
      loss = loss - m.info_weight * log_q
      metrics['mi_lower_bound'] = code_entropy + log_q
    return loss, (metrics, model_state)

  def init(key, batch):
    k_g, k_d, k_z = jax.random.split(key, 3)
    x, y = batch['x'][:2], labels(batch)
    y = None if y is None else y[:2]
    z, codes = draw(k_z, x.shape[0])
    parts = [z]
    if concat_label_to_z:
      parts.append(jnp.zeros((x.shape[0], num_classes)))
    if n_cat:
      parts.append(jnp.zeros((x.shape[0], n_cat)))
    if n_cont:
      parts.append(codes['cont'])
    g_params = generator.init(k_g, jnp.concatenate(parts, -1), y)['params']
    d_vars = discriminator.init(k_d, condition_input(x, y), y, False)
    return ({'discriminator': d_vars['params'], 'generator': g_params},
            {'discriminator': dict(d_vars.get(COLLECTION, {}))})

  def evaluate(params, model_state, batch, key):
    """Per example: the discriminator loss on (real i, fake i) as `loss`, the generator loss,
    scores and accuracy; on mixture toys the high-quality indicator of each fake and the
    modes covered by this batch's fakes (a batch statistic repeated per example)."""
    x, y = batch['x'], labels(batch)
    z, codes = draw(key, x.shape[0])
    fake = generate(params['generator'], z, y, codes)
    stats = model_state['discriminator']
    real = discriminate(params['discriminator'], stats, x, y, False)[0]['score']
    fake_score = discriminate(params['discriminator'], stats, fake, y, False)[0]['score']
    on_real, on_fake = minimax.discriminator_terms(m.loss, real, fake_score)
    out = {'loss': on_real + on_fake,
           'generator_loss': minimax.generator_loss(m.loss, fake_score),
           'real_score': real, 'fake_score': fake_score,
           'accuracy': minimax.accuracy(m.loss, real, fake_score)}
    if mixture is not None:
      centers, std = mixture
      out['high_quality'] = mode_coverage.high_quality(fake, centers, std)
      covered = jnp.sum(mode_coverage.mode_counts(fake, centers, std) >= 1)
      out['modes_covered'] = jnp.full((x.shape[0],), covered, jnp.float32)
    return out

  def sample(params, model_state, key, num, reference):
    y = jnp.arange(num) % num_classes if num_classes else None
    z, codes = draw(key, num)
    return generate(params['generator'], z, y, codes)

  tools = gan_modes.Tools(draw=draw, generate=generate, labels=labels,
                          is_image=info.is_image, num_classes=num_classes,
                          info_categorical=n_cat, info_continuous=n_cont)
  modes = gan_modes.make_modes(tools)

  def visualize(params, model_state, batch, key):
    """Vectors: the real batch, to set beside the samples' scatter; conditional images: the
    class grid. (Unconditional image samples are drawn by the evaluator itself.)"""
    if not info.is_image:
      return {'data': batch['x']}
    return modes['conditional'](params, model_state, batch, key) if num_classes else {}

  d_steps = config.train.num_steps * m.n_critic
  d_opt = make_optimizer(schema.parse(OptimizerConfig, m.d_optimizer, 'model.d_optimizer.'),
                         d_steps)
  if m.weight_clip > 0:
    d_opt = optax.chain(d_opt, minimax.clip_weights(m.weight_clip))
  g_opt = make_optimizer(config.train.optimizer, config.train.num_steps)
  players = (Player('discriminator', d_loss_fn, d_opt, steps=m.n_critic),
             Player('generator', g_loss_fn, g_opt))
  return Model(init=init, players=players, evaluate=evaluate, sample=sample,
               visualize=visualize, modes=modes)


FAMILY = Family('gan', None, make)
