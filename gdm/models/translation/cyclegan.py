"""CycleGAN (Zhu et al., 2017): generators G: A -> B and F: B -> A (ResNets), PatchGANs D_A
and D_B, trained on unpaired domains (paired data is used unpaired; its targets then also
give evaluation scores). G and F minimise (eq. 3 with the identity loss of Sec. 5.2)

  gan_weight * [L_GAN(G, D_B) + L_GAN(F, D_A)]
  + lambda * (|F(G(a)) - a|_1 + |G(F(b)) - b|_1)
  + identity_weight * lambda * (|G(b) - b|_1 + |F(a) - a|_1),   lambda = cycle_weight = 10,

and each D the pair's discriminator loss on its domain's real images against fakes drawn
through a history buffer of `pool_size` = 50 (gdm.sampling.history_buffer; kept in
model_state, so in the checkpoint). Two players: 'generators' (G and F), then
'discriminators' (D_A and D_B, one optimizer over both, model.d_optimizer); the
discriminators judge fakes of the generators they have just updated. Evaluation, per held-out
example: `loss` (the generators' objective), `cycle_a` / `cycle_b` (|F(G(a)) - a| and
|G(F(b)) - b| as shares of the pixel range), and on paired data `l1`, `psnr`, `ssim` of G(a)
against its target. FID/KID of G(a) against domain B: experiments.evaluate.
"""
import dataclasses
import functools

import flax.linen as nn
import jax

from gdm.models.translation import family
from gdm.models.translation.config import CycleGANSettings
from gdm.models.translation.family import Shared
from gdm.models.translation.nets import ResNetGenerator
from gdm.sampling import history_buffer
from gdm.train.config import RunConfig
from gdm.train.players import Player

DOMAINS = ('a', 'b')


@dataclasses.dataclass(frozen=True)
class CycleGAN:
  shared: Shared
  settings: CycleGANSettings
  to_b: nn.Module           # G: A -> B
  to_a: nn.Module           # F: B -> A
  discriminator: dict       # {'a': D_A, 'b': D_B}


def build(run: RunConfig, info) -> CycleGAN:
  s = run.model.cyclegan
  sh = family.build_shared(run, info, s)
  gen = lambda channels: ResNetGenerator(channels, s.channels, s.num_blocks, s.downsample,  # noqa: E731
                                         s.norm, sh.output, sh.dtype)
  return CycleGAN(sh, s, gen(info.target_shape[-1]), gen(info.shape[-1]),
                  {d: family.discriminator(sh, s.norm) for d in DOMAINS})


def _apply(net, p, x):
  return net.apply({'params': p}, x)


def _domains(cg: CycleGAN, batch, key):
  return family.jitter(cg.shared, batch['x'], batch['y'], key)


def cycle_terms(cg: CycleGAN, params, model_state, a, b) -> dict:
  """Per example: every term of the generators' objective, its total and the images."""
  sh, s, g = cg.shared, cg.settings, params['generators']
  fake_b, fake_a = _apply(cg.to_b, g['b'], a), _apply(cg.to_a, g['a'], b)
  rec_a, rec_b = _apply(cg.to_a, g['a'], fake_b), _apply(cg.to_b, g['b'], fake_a)
  out = {'fake_a': fake_a, 'fake_b': fake_b, 'rec_a': rec_a, 'rec_b': rec_b}
  dp, stats = params['discriminators'], model_state['discriminators']
  total = 0.0
  for d, real, fake in (('a', a, fake_a), ('b', b, fake_b)):
    fake_scores, _ = family.scores(cg.discriminator[d], dp[d], stats[d], fake)
    real_scores = (family.scores(cg.discriminator[d], dp[d], stats[d], real)[0]
                   if sh.loss.g_uses_real else None)
    out[f'adversarial_{d}'] = family.per_example(sh.loss.g_loss, real_scores, fake_scores)
    total = total + sh.gan_weight * out[f'adversarial_{d}']
  out['cycle'] = family.mean_abs(rec_a, a) + family.mean_abs(rec_b, b)
  total = total + s.cycle_weight * out['cycle']
  if s.identity_weight > 0:
    out['identity'] = (family.mean_abs(_apply(cg.to_b, g['b'], b), b)
                       + family.mean_abs(_apply(cg.to_a, g['a'], a), a))
    total = total + s.identity_weight * s.cycle_weight * out['identity']
  out['total'] = total
  return out


def generator_loss(cg: CycleGAN, params, model_state, batch, key, step):
  del step
  a, b = _domains(cg, batch, key)
  t = cycle_terms(cg, params, model_state, a, b)
  names = ('adversarial_a', 'adversarial_b', 'cycle') + (
      ('identity',) if 'identity' in t else ())
  return t['total'].mean(), ({k: t[k].mean() for k in names}, model_state)


def discriminator_loss(cg: CycleGAN, params, model_state, batch, key, step):
  del step
  sh, g = cg.shared, params['generators']
  k_jitter, k_pool = jax.random.split(key)
  a, b = _domains(cg, batch, k_jitter)
  fakes = {'a': _apply(cg.to_a, g['a'], b), 'b': _apply(cg.to_b, g['b'], a)}
  reals = {'a': a, 'b': b}
  state = jax.tree.map(lambda v: v, model_state)
  loss, metrics = 0.0, {}
  for i, d in enumerate(DOMAINS):
    fake = jax.lax.stop_gradient(fakes[d])
    if 'pools' in state:
      fake, state['pools'][d] = history_buffer.query(state['pools'][d], fake,
                                                     jax.random.fold_in(k_pool, i))
    dp, stats = params['discriminators'][d], model_state['discriminators'][d]
    real_scores, state['discriminators'][d] = family.scores(cg.discriminator[d], dp, stats,
                                                            reals[d], True)
    fake_scores, _ = family.scores(cg.discriminator[d], dp, stats, fake)
    loss = loss + family.per_example(sh.loss.d_loss, real_scores, fake_scores).mean()
    metrics.update({f'{k}_{d}': v.mean()
                    for k, v in family.d_metrics(sh, real_scores, fake_scores).items()})
  return loss, (metrics, state)


def players(cg: CycleGAN, g_opt, d_opt) -> tuple[Player, ...]:
  bind = functools.partial
  return (Player('generators', bind(generator_loss, cg), g_opt),
          Player('discriminators', bind(discriminator_loss, cg), d_opt))


# --- the Model's other functions ----------------------------------------------------------

def init(cg: CycleGAN, key, batch):
  a, b = batch['x'][:2], batch['y'][:2]
  k_b, k_a, k_da, k_db = jax.random.split(key, 4)
  params = {'generators': {'b': cg.to_b.init(k_b, a)['params'],
                           'a': cg.to_a.init(k_a, b)['params']}, 'discriminators': {}}
  state = {'discriminators': {}}
  for d, k, x in (('a', k_da, a), ('b', k_db, b)):
    params['discriminators'][d], state['discriminators'][d] = family.init_discriminator(
        cg.discriminator[d], k, x)
  if cg.settings.pool_size:
    shapes = {'a': cg.shared.info.shape, 'b': cg.shared.info.target_shape}
    state['pools'] = {d: history_buffer.init(cg.settings.pool_size, shapes[d])
                      for d in DOMAINS}
  return params, state


def translate(cg: CycleGAN, params, model_state, batch, key):
  return _apply(cg.to_b, params['generators']['b'], batch['x'])


def evaluate(cg: CycleGAN, params, model_state, batch, key):
  a, b = batch['x'], batch['y']
  t = cycle_terms(cg, params, model_state, a, b)
  r = cg.shared.data_range
  out = {'loss': t['total'], 'cycle_a': family.mean_abs(t['rec_a'], a) / r,
         'cycle_b': family.mean_abs(t['rec_b'], b) / r,
         'adversarial_a': t['adversarial_a'], 'adversarial_b': t['adversarial_b']}
  if cg.shared.paired:
    out.update(family.image_scores(cg.shared, t['fake_b'], b))
  return out


def sample(cg: CycleGAN, params, model_state, key, num, reference):
  return _apply(cg.to_b, params['generators']['b'], family.rows(reference['x'], num))


def visualize(cg: CycleGAN, params, model_state, batch, key):
  """Rows: a, G(a), F(G(a)) and b, F(b), G(F(b))."""
  n = family.GRID_ROWS
  a, b = batch['x'][:n], batch['y'][:n]
  t = cycle_terms(cg, params, model_state, a, b)
  return {'a_to_b': family.grid(a, t['fake_b'], t['rec_a']),
          'b_to_a': family.grid(b, t['fake_a'], t['rec_b'])}
