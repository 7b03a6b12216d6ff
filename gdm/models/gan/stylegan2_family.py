"""StyleGAN2's functions in the GAN family (Karras et al., 2020): the four players' losses,
init, evaluation and sampling, each taking the `StyleGAN2` that `build` makes first.

Players (stylegan2_model.py binds them): the discriminator's loss pair (`model.loss`) on a
real batch and a style-mixed fake one; every `d_reg_every` steps its regulariser
(`model.regularizer`, R1 with gamma = `model.penalty_weight`) as a separate update, weighted
by the interval; the generator's loss pair; every `pl_every` steps the path length penalty,
weighted by pl_weight times the interval. The lazy updates share their player's Adam state.

Params: {'generator': {'mapping', 'synthesis'}, 'discriminator'}; model_state: {'w_avg': the
running mean of w (updated by the generator's main update, the official code's
dlatent_avg_beta), 'pl_mean': the path lengths' running mean}. Sampling and evaluation use
the trainer's EMA of the params; samples are truncated by `sample.truncation_psi`.
"""
import dataclasses
from typing import Callable

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.data.source import DatasetInfo
from gdm.models.gan import stylegan2_latents as latents
from gdm.models.gan.config import GANConfig
from gdm.models.gan.stylegan2_config import StyleGAN2Settings, check_stylegan2, num_ws
from gdm.models.gan.stylegan2_nets import MappingNetwork, ResidualDiscriminator, SynthesisNetwork
from gdm.objectives import adversarial
from gdm.objectives.adversarial.pair import LossPair, accuracy, pair_metrics
from gdm.objectives.adversarial.path_length import (path_length_penalty, path_lengths,
                                                    path_noise)
from gdm.train.config import RunConfig


@dataclasses.dataclass(frozen=True)
class StyleGAN2:
  m: GANConfig
  s: StyleGAN2Settings
  info: DatasetInfo
  mapping: nn.Module
  synthesis: nn.Module
  discriminator: nn.Module
  loss: LossPair
  regularizer: Callable | None      # a gdm.objectives.adversarial.REGULARIZERS term
  num_ws: int
  truncation_psi: float


def build(run: RunConfig, info: DatasetInfo) -> StyleGAN2:
  m = run.model
  check_stylegan2(m, run.data, info, run.train.batch_size)
  s, size, dtype = m.stylegan2, info.shape[0], jnp.dtype(run.train.compute_dtype)
  return StyleGAN2(
      m=m, s=s, info=info,
      mapping=MappingNetwork(s.w_dim, s.mapping_layers, s.mapping_lr_mul, dtype),
      synthesis=SynthesisNetwork(s, size, info.shape[-1], dtype),
      discriminator=ResidualDiscriminator(s, size, dtype),
      loss=adversarial.loss_pair(m.loss),
      regularizer=adversarial.REGULARIZERS.get(m.regularizer),
      num_ws=num_ws(size), truncation_psi=run.sample.truncation_psi)


# --- W space and the generator ------------------------------------------------------------

def map_z(sg: StyleGAN2, gp, z):
  """w [B, w_dim] of z [B, latent_dim] (gp: the generator's params)."""
  return sg.mapping.apply({'params': gp['mapping']}, z)


def draw_w(sg: StyleGAN2, gp, key, n):
  return map_z(sg, gp, jax.random.normal(key, (n, sg.m.latent_dim)))


def synthesize(sg: StyleGAN2, gp, ws, key, shared_noise: bool = False):
  return sg.synthesis.apply({'params': gp['synthesis']}, ws, shared_noise,
                            rngs={'noise': key})


def training_ws(sg: StyleGAN2, gp, key, n):
  """(ws [n, L, D] with style mixing, the first z's w [n, D])."""
  k1, k2, k_cut = jax.random.split(key, 3)
  w = draw_w(sg, gp, k1, n)
  ws = latents.broadcast(w, sg.num_ws)
  if sg.s.style_mixing_prob > 0:
    cutoff = latents.mixing_cutoff(k_cut, sg.num_ws, sg.s.style_mixing_prob)
    ws = latents.mix(ws, latents.broadcast(draw_w(sg, gp, k2, n), sg.num_ws), cutoff)
  return ws, w


def sampling_ws(sg: StyleGAN2, model_state, w, psi: float):
  """ws of w [B, D], truncated towards the running mean by psi."""
  return latents.truncate(latents.broadcast(w, sg.num_ws), model_state['w_avg'], psi)


def score(sg: StyleGAN2, dp, x):
  return sg.discriminator.apply({'params': dp}, x)['score']


def fakes(sg: StyleGAN2, gp, key, n):
  k_ws, k_noise = jax.random.split(key)
  ws, w = training_ws(sg, gp, k_ws, n)
  return synthesize(sg, gp, ws, k_noise), w


# --- the players' losses ------------------------------------------------------------------

def discriminator_loss(sg: StyleGAN2, params, model_state, batch, key, step):
  del step
  x, dp = batch['x'], params['discriminator']
  fake = jax.lax.stop_gradient(fakes(sg, params['generator'], key, x.shape[0])[0])
  real, fake_score = score(sg, dp, x), score(sg, dp, fake)
  metrics = {'real_score': real.mean(), 'fake_score': fake_score.mean(),
             'accuracy': accuracy(sg.loss.threshold, real, fake_score).mean()}
  return sg.loss.d_loss(real, fake_score).mean(), (metrics, model_state)


def discriminator_regularizer_loss(sg: StyleGAN2, params, model_state, batch, key, step):
  """The lazy regulariser: d_reg_every times its term. The critic's input gradient is that of
  the summed scores, as in the official code (minibatch stddev couples the examples). Fakes
  are drawn for penalties that read them; R1 does not, and XLA drops them."""
  del step
  x, dp = batch['x'], params['discriminator']
  k_fake, k_term = jax.random.split(key)
  fake = jax.lax.stop_gradient(fakes(sg, params['generator'], k_fake, x.shape[0])[0])
  term, penalties = sg.regularizer(lambda v: score(sg, dp, v), x, fake, k_term,
                                   sg.m.penalty_weight)
  return sg.s.d_reg_every * term, (penalties, model_state)


def generator_loss(sg: StyleGAN2, params, model_state, batch, key, step):
  del step
  x, dp = batch['x'], params['discriminator']
  fake, w = fakes(sg, params['generator'], key, x.shape[0])
  fake_score = score(sg, dp, fake)
  real = score(sg, dp, x) if sg.loss.g_uses_real else None
  w_avg = latents.update_w_avg(model_state['w_avg'], w, sg.s.w_avg_decay)
  return (sg.loss.g_loss(real, fake_score).mean(),
          ({'fake_score': fake_score.mean()}, {**model_state, 'w_avg': w_avg}))


def path_length_loss(sg: StyleGAN2, params, model_state, batch, key, step):
  """pl_every * pl_weight * mean (|J_w^T y| - a)^2 on batch_size // pl_batch_shrink fakes."""
  del step
  s, gp = sg.s, params['generator']
  n = batch['x'].shape[0] // s.pl_batch_shrink
  k_ws, k_noise, k_y = jax.random.split(key, 3)
  ws, _ = training_ws(sg, gp, k_ws, n)
  lengths = path_lengths(lambda v: synthesize(sg, gp, v, k_noise), ws,
                         path_noise(k_y, (n,) + tuple(sg.info.shape)))
  penalty, pl_mean = path_length_penalty(lengths, model_state['pl_mean'], s.pl_decay)
  metrics = {'path_length': lengths.mean(), 'pl_penalty': penalty.mean(), 'pl_mean': pl_mean}
  return (s.pl_every * s.pl_weight * penalty.mean(),
          (metrics, {**model_state, 'pl_mean': pl_mean}))


# --- the Model's other functions ----------------------------------------------------------

def init(sg: StyleGAN2, key, batch):
  k_map, k_syn, k_noise, k_d, k_z = jax.random.split(key, 5)
  x = batch['x'][:2]
  mp = sg.mapping.init(k_map, jax.random.normal(k_z, (2, sg.m.latent_dim)))['params']
  ws = jnp.zeros((2, sg.num_ws, sg.s.w_dim))
  sp = sg.synthesis.init({'params': k_syn, 'noise': k_noise}, ws)['params']
  dp = sg.discriminator.init(k_d, x)['params']
  return ({'discriminator': dp, 'generator': {'mapping': mp, 'synthesis': sp}},
          {'w_avg': jnp.zeros((sg.s.w_dim,)), 'pl_mean': jnp.zeros(())})


def evaluate(sg: StyleGAN2, params, model_state, batch, key):
  """Per example, as the other GANs: both players' losses, the scores, D's accuracy, on fakes
  without style mixing or truncation."""
  x, gp, dp = batch['x'], params['generator'], params['discriminator']
  k_w, k_noise = jax.random.split(key)
  ws = latents.broadcast(draw_w(sg, gp, k_w, x.shape[0]), sg.num_ws)
  return pair_metrics(sg.loss, score(sg, dp, x), score(sg, dp, synthesize(sg, gp, ws, k_noise)))


def sample(sg: StyleGAN2, params, model_state, key, num, reference):
  gp = params['generator']
  k_w, k_noise = jax.random.split(key)
  ws = sampling_ws(sg, model_state, draw_w(sg, gp, k_w, num), sg.truncation_psi)
  return synthesize(sg, gp, ws, k_noise)


def visualize(sg: StyleGAN2, params, model_state, batch, key):
  return {}      # the evaluator draws the sample grid itself; the modes draw the rest
