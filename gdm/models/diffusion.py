"""Diffusion and score-based models: DDPM (L_simple, hybrid / variational bound with learned
variances, importance-sampled t), NCSN, and score SDEs (VP, sub-VP, VE), with classifier-free
guidance and super-resolution conditioning.

One network reads the noisy data x_t = a x_0 + sigma eps, a time input and optionally a label
and a low-resolution image, and outputs eps, x_0 or v (model.parameterization; see
gdm.objectives.score_matching), plus, for model.variance='learned_range', the interpolation
of the reverse variance. The process decides the noise levels and the sampler:

  ddpm   discrete schedule, time input = t index; loss simple | hybrid | vlb; samplers
         ancestral | ddim; eval: the full variational bound (every t) as eval/nll, eval/bpd
  ncsn   geometric sigmas, time input = sigma index; sigma^2-weighted DSM; annealed Langevin
  vp | subvp | ve  continuous t in [eps, 1], time input = 999 t; DSM with sigma(t)^2 or the
         likelihood weighting g(t)^2; samplers euler_maruyama | pc | ode; eval: the
         probability-flow ODE log-likelihood (Hutchinson or exact trace) as eval/nll, eval/bpd
         (bpd only for dequantized images: the ODE gives a density)

Everything runs through the trainer's EMA params. Launcher modes: inpaint and denoise (ddpm),
super_resolution (models with model.low_res_size > 0); see gdm.models.diffusion_modes.
"""
import math

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from gdm.data.source import DatasetInfo
from gdm.diffusion import guidance, samplers, schedules
from gdm.metrics import bits_per_dim as likelihood
from gdm.models import diffusion_modes
from gdm.train.model import Family, Model
from gdm.models.diffusion_config import check_config, make_sde
from gdm.nn.score_mlp import ScoreMLP
from gdm.nn.unet import UNet
from gdm.objectives import diffusion_bound as bound
from gdm.objectives import importance_sampling as imp
from gdm.objectives import score_matching as sm
from gdm.train.optim import make_optimizer
from gdm.train.players import Player

SDE_TIME_SCALE = 999.0     # continuous t -> the network's time input (DDPM-like range)


def build_net(m, info: DatasetInfo, num_classes: int, dtype):
  out = info.shape[-1] * (2 if m.process == 'ddpm' and m.variance == 'learned_range' else 1)
  if m.net == 'mlp':
    return ScoreMLP(tuple(m.hidden), out, m.act, num_classes, dtype)
  return UNet(out, m.channels, tuple(m.channel_mult), m.num_res_blocks,
              tuple(m.attn_resolutions), m.dropout, num_classes, dtype)


def low_res_condition(x: jax.Array, size: int) -> jax.Array:
  """Average-pool x [B, H, W, C] to size x size, then bicubic back up to H x W."""
  b, h, w, c = x.shape
  f = h // size
  small = x.reshape(b, size, f, size, f, c).mean(axis=(2, 4))
  return jax.image.resize(small, x.shape, 'bicubic')


def make(config: ml_collections.ConfigDict, info: DatasetInfo) -> Model:
  check_config(config, info)
  m = config.model
  num_classes = info.num_classes if m.class_conditional else 0
  net = build_net(m, info, num_classes, jnp.dtype(config.train.compute_dtype))
  channels = info.shape[-1]
  learned_var = m.process == 'ddpm' and m.variance == 'learned_range'
  dims = math.prod(info.shape)
  clip = (-1.0, 1.0) if info.is_image and config.data.scale == 'minus_one_one' else (
      (0.0, 1.0) if info.is_image and config.data.scale == 'zero_one' else None)
  discrete = bool(info.is_image and config.data.scale == 'minus_one_one'
                  and not config.data.dequantize and config.data.binarize == 'none')
  if m.process == 'ddpm':
    sched = schedules.make_schedule(m.schedule, m.num_timesteps, m.beta_start, m.beta_end)
    offset = likelihood.pixel_offset(config.data, info, 'discrete' if discrete else 'density')
  elif m.process == 'ncsn':
    sigmas = jnp.asarray(np.geomspace(m.sigma_max, m.sigma_min, m.num_sigmas), jnp.float32)
  else:
    sde = make_sde(m)
    offset = likelihood.pixel_offset(config.data, info, 'density')

  # --- the network and what its output means -------------------------------------------
  def apply(p, x, tin, y, cond, train=False, key=None):
    inp = x if cond is None else jnp.concatenate([x, cond], axis=-1)
    rngs = {'dropout': key} if train and key is not None else None
    return net.apply({'params': p}, inp, tin, y, train, rngs=rngs)

  def split(out):
    return (out[..., :channels], out[..., channels:]) if learned_var else (out, None)

  def conditioning(batch, n=None):
    y = batch['y'] if num_classes else None
    cond = low_res_condition(batch['x'], m.low_res_size) if m.low_res_size else None
    if n is not None:
      y = None if y is None else y[:n]
      cond = None if cond is None else cond[:n]
    return y, cond

  def levels(key, b):
    """Training noise levels: (time input [B], a [B, 1..], sigma [B, 1..], extra)."""
    shape = (b,) + (1,) * len(info.shape)
    if m.process == 'ddpm':
      t = jax.random.randint(key, (b,), 0, m.num_timesteps)
      a, s = schedules.marginal(sched, t, jnp.zeros(shape))
      return t.astype(jnp.float32), a, s, t
    if m.process == 'ncsn':
      i = jax.random.randint(key, (b,), 0, m.num_sigmas)
      return i.astype(jnp.float32), jnp.ones(shape), sigmas[i].reshape(shape), i
    t = jax.random.uniform(key, (b,), minval=sde.sampling_eps, maxval=1.0)
    a, s = sde.marginal(t, jnp.zeros(shape))
    return SDE_TIME_SCALE * t, a, s, t

  # --- losses --------------------------------------------------------------------------
  def ddpm_terms(p, x0, t, noise, y, cond, train, key):
    """Per-example (L_simple, L_t / D) at timesteps t."""
    a, s = schedules.marginal(sched, t, x0)
    xt = a * x0 + s * noise
    mean_out, v = split(apply(p, xt, t.astype(jnp.float32), y, cond, train, key))
    simple = sm.dsm_loss(mean_out, x0, noise, a, s, m.parameterization)
    if m.loss == 'simple':
      return simple, jnp.zeros_like(simple)
    _, x0_hat = sm.predictions(mean_out, xt, a, s, m.parameterization)
    if m.loss == 'hybrid':   # the bound trains only the variance (Nichol & Dhariwal)
      x0_hat = jax.lax.stop_gradient(x0_hat)
    log_var = schedules.reverse_log_variance(sched, t, xt, m.variance, v)
    term = bound.timestep_term(sched, x0, xt, t, bound.reverse_mean(sched, x0_hat, xt, t),
                               log_var, discrete)
    return simple, term / dims

  def loss_per_example(p, batch, key, model_state, train):
    k_t, k_noise, k_drop, k_net = jax.random.split(key, 4)
    x0 = batch['x'].astype(jnp.float32)
    b = x0.shape[0]
    y, cond = conditioning(batch)
    if train and num_classes and m.label_dropout > 0:
      y = guidance.drop_labels(k_drop, y, m.label_dropout, num_classes)
    noise = jax.random.normal(k_noise, x0.shape)
    metrics = {}
    if m.process == 'ddpm':
      if m.importance_sampling and train:
        t, weight = imp.sample(k_t, model_state['importance'], b)
      else:
        t, weight = jax.random.randint(k_t, (b,), 0, m.num_timesteps), jnp.ones((b,))
      simple, term = ddpm_terms(p, x0, t, noise, y, cond, train, k_net)
      T = m.num_timesteps
      if m.loss == 'simple':
        loss = simple
      elif m.loss == 'hybrid':   # iDDPM: L_simple + L_t T / 1000 in bits/dim (lambda 0.001)
        loss = simple + term * T / (1000.0 * math.log(2.0))
      else:
        loss = term * T
      if m.importance_sampling and train:
        model_state = {'importance': imp.update(model_state['importance'], t, term * T)}
      metrics = {'l_simple': simple}
      return weight * loss, metrics, model_state
    tin, a, s, level = levels(k_t, b)
    xt = a * x0 + s * noise
    out = apply(p, xt, tin, y, cond, train, k_net)
    eps_hat, _ = sm.predictions(out, xt, a, s, m.parameterization)
    score = -eps_hat / s
    if m.process == 'ncsn':
      return sm.ncsn_loss(score, noise, s), metrics, model_state
    flat_s = s.reshape(b)
    weight = flat_s ** 2 if m.weighting == 'variance' else sde.diffusion_sq(level)
    return sm.weighted_score_loss(score, noise, s, weight), metrics, model_state

  def loss_fn(params, model_state, batch, key, step):
    losses, metrics, model_state = loss_per_example(params['model'], batch, key, model_state,
                                                    True)
    return losses.mean(), ({k: v.mean() for k, v in metrics.items()}, model_state)

  # --- sampling ------------------------------------------------------------------------
  def output_fn(p, y, cond):
    """(x, time input) -> network output, guided when model.guidance_scale > 0."""
    def fn(x, tin, y_):
      c = None if cond is None else jnp.concatenate([cond] * (x.shape[0] // cond.shape[0]))
      return apply(p, x, tin, y_, c)
    if y is None:
      return lambda x, tin: fn(x, tin, None)
    return guidance.guided(fn, y, num_classes, m.guidance_scale, channels)

  def ddpm_eps_fn(p, y, cond):
    out_fn = output_fn(p, y, cond)

    def eps_fn(x, t):
      mean_out, v = split(out_fn(x, t.astype(jnp.float32)))
      a, s = schedules.marginal(sched, t, x)
      eps, _ = sm.predictions(mean_out, x, a, s, m.parameterization)
      return eps, schedules.reverse_log_variance(sched, t, x, m.variance, v)

    return eps_fn

  def generate(p, key, num, y=None, cond=None, x_init=None):
    shape = (num,) + tuple(info.shape)
    k_init, k_run = jax.random.split(key)
    out_fn = output_fn(p, y, cond)
    if m.process == 'ddpm':
      x = jax.random.normal(k_init, shape) if x_init is None else x_init
      eps_fn = ddpm_eps_fn(p, y, cond)
      if m.sampler == 'ancestral':
        return samplers.ddpm_ancestral(k_run, eps_fn, sched, x, clip)
      return samplers.ddim(k_run, eps_fn, sched, x,
                           samplers.spaced_timesteps(m.num_timesteps, m.sample_steps),
                           m.ddim_eta, clip)
    if m.process == 'ncsn':
      def score_fn(x, i):
        s = sigmas[i].reshape((-1,) + (1,) * len(info.shape))
        return -sm.predictions(out_fn(x, i.astype(jnp.float32)), x, 1.0, s,
                               m.parameterization)[0] / s
      x = m.sigma_max * jax.random.normal(k_init, shape)
      return samplers.annealed_langevin(k_run, score_fn, sigmas, x, m.langevin_steps,
                                        m.langevin_lr)
    x = sde.prior_sample(k_init, shape)
    score_fn = sde_score_fn(out_fn)
    eps = sde.sampling_eps
    if m.sampler == 'euler_maruyama':
      return samplers.euler_maruyama(k_run, score_fn, sde, x, m.sample_steps, eps)
    if m.sampler == 'pc':
      return samplers.predictor_corrector(k_run, score_fn, sde, x, m.sample_steps, eps, m.snr,
                                          m.corrector_steps)
    return samplers.ode_sample(score_fn, sde, x, m.sample_steps, eps)

  def sde_score_fn(out_fn):
    def score_fn(x, t):
      a, s = sde.marginal(t, x)
      return -sm.predictions(out_fn(x, SDE_TIME_SCALE * t), x, a, s, m.parameterization)[0] / s
    return score_fn

  def sample_conditioning(reference, num):
    y = jnp.arange(num) % num_classes if num_classes else None
    cond = None
    if m.low_res_size:
      idx = jnp.arange(num) % reference['x'].shape[0]
      cond = low_res_condition(reference['x'][idx], m.low_res_size)
    return y, cond

  def sample(params, model_state, key, num, reference):
    y, cond = sample_conditioning(reference, num)
    return generate(params['model'], key, num, y, cond)

  # --- evaluation ----------------------------------------------------------------------
  def nll(p, batch, key):
    x0 = batch['x'].astype(jnp.float32)
    y, cond = conditioning(batch)
    out_fn = lambda x, tin: apply(p, x, tin, y, cond)   # noqa: E731  (unguided)
    if m.process == 'ddpm':
      def reverse_fn(xt, t):
        mean_out, v = split(out_fn(xt, t.astype(jnp.float32)))
        a, s = schedules.marginal(sched, t, xt)
        _, x0_hat = sm.predictions(mean_out, xt, a, s, m.parameterization)
        return (bound.reverse_mean(sched, x0_hat, xt, t),
                schedules.reverse_log_variance(sched, t, xt, m.variance, v))
      return bound.full_bound(key, sched, x0, reverse_fn, discrete)
    logp, _ = samplers.ode_log_likelihood(key, sde_score_fn(out_fn), sde, x0,
                                          m.eval_ode_steps, sde.sampling_eps, m.trace)
    return -logp

  def evaluate(params, model_state, batch, key):
    k_loss, k_nll = jax.random.split(key)
    p = params['model']
    loss, metrics, _ = loss_per_example(p, batch, k_loss, model_state, False)
    out = {'loss': loss, **metrics}
    if m.eval_nll and m.process != 'ncsn':
      out.update(likelihood.report(nll(p, batch, k_nll), info, offset))
    return out

  # --- pictures ------------------------------------------------------------------------
  def visualize(params, model_state, batch, key):
    """Images: noisy inputs at 8 increasing noise levels over the model's x_0 predictions.
    Vectors: the model's x_0 prediction for the whole batch at a middle noise level."""
    p = params['model']
    n = min(8, batch['x'].shape[0]) if info.is_image else batch['x'].shape[0]
    x0 = batch['x'][:n].astype(jnp.float32)
    y, cond = conditioning(batch, n)
    frac = (jnp.arange(n) + 1) / (n + 1) if info.is_image else jnp.full((n,), 0.5)
    shape = (n,) + (1,) * len(info.shape)
    if m.process == 'ddpm':
      t = jnp.floor(frac * m.num_timesteps).astype(jnp.int32)
      tin, (a, s) = t.astype(jnp.float32), schedules.marginal(sched, t, x0)
    elif m.process == 'ncsn':
      i = jnp.floor((1 - frac) * m.num_sigmas).astype(jnp.int32)
      tin, a, s = i.astype(jnp.float32), jnp.ones(shape), sigmas[i].reshape(shape)
    else:
      tin, (a, s) = SDE_TIME_SCALE * frac, sde.marginal(frac, x0)
    xt = a * x0 + s * jax.random.normal(key, x0.shape)
    out, _ = split(apply(p, xt, tin, y, cond))
    x0_hat = sm.predictions(out, xt, a, s, m.parameterization)[1]
    if clip is not None:
      x0_hat = jnp.clip(x0_hat, *clip)
    if not info.is_image:
      return {'denoised': x0_hat}
    return {'denoising': jnp.stack([jnp.clip(xt / a, *clip) if clip else xt / a, x0_hat])}

  def init(key, batch):
    x = batch['x'][:1].astype(jnp.float32)
    y, cond = conditioning(batch, 1)
    inp = x if cond is None else jnp.concatenate([x, cond], axis=-1)
    params = net.init(key, inp, jnp.zeros((1,)), y)['params']
    state = ({'importance': imp.init_state(m.num_timesteps)}
             if m.process == 'ddpm' and m.importance_sampling else {})
    return {'model': params}, state

  tools = diffusion_modes.Tools(
      config=m, info=info, generate=generate, conditioning=conditioning,
      sched=sched if m.process == 'ddpm' else None,
      eps_fn=ddpm_eps_fn if m.process == 'ddpm' else None, clip=clip)
  optimizer = make_optimizer(config.train.optimizer, config.train.num_steps)
  return Model(init=init, players=(Player('model', loss_fn, optimizer),), evaluate=evaluate,
               sample=sample, visualize=visualize, modes=diffusion_modes.make_modes(tools))


FAMILY = Family('diffusion', None, make)
