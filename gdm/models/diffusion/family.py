"""Diffusion and score-based models: one network, a pluggable process and a sampler.

The network reads the noisy data (and, for super-resolution, the upsampled low-resolution
image as extra channels), a time input and optionally a label; the process
(gdm.diffusion.processes, model.process) decides both inputs, what the output means, the
training loss, the prior and the likelihood; the sampler (gdm.diffusion.samplers,
model.sampler) integrates what the process's model_fn makes of the (guided) network.
Classifier-free guidance (model.guidance_scale) mixes the conditional and unconditional
outputs; everything runs through the trainer's EMA params.

Every function here takes the `Diffusion` that `build` makes once from the config; the
package's `make` binds them into the trainer's `Model`.
"""
import dataclasses
import functools
from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from gdm.data.source import DatasetInfo
from gdm.diffusion import guidance
from gdm.diffusion.processes import PROCESSES, ProcessData
from gdm.diffusion.samplers import SAMPLERS, Sampler
from gdm.metrics import bits_per_dim as likelihood
from gdm.models.diffusion.config import DiffusionConfig, check, inpaint_mask
from gdm.models.diffusion.nets import build_net
from gdm.train.config import RunConfig


@dataclasses.dataclass(frozen=True)
class Diffusion:
  """What every function of the family needs, built once from the config."""
  m: DiffusionConfig
  info: DatasetInfo
  net: nn.Module
  process: Any                  # a gdm.diffusion.processes process
  sampler: Sampler
  num_classes: int              # > 0: class-conditional (label num_classes = no label)
  clip: tuple[float, float] | None   # the images' value range
  offset: float | None          # nats to add to the process's nll for bits/dim; None: no bpd
  mask: np.ndarray | None       # inpainting: 1 = known (processes that offer inpaint)

  @property
  def channels(self) -> int:
    return self.info.shape[-1]


def value_range(run: RunConfig, info: DatasetInfo):
  if not info.is_image or run.data.scale == 'none':
    return None
  return (-1.0, 1.0) if run.data.scale == 'minus_one_one' else (0.0, 1.0)


def build(run: RunConfig, info: DatasetInfo) -> Diffusion:
  m, data = run.model, run.data
  check(m, info)
  clip = value_range(run, info)
  discrete = bool(info.is_image and data.scale == 'minus_one_one' and not data.dequantize
                  and data.binarize == 'none')
  spec = ProcessData(tuple(info.shape), m.parameterization, clip, discrete)
  process = PROCESSES[m.process].build(m.process_settings, spec)
  sampler = SAMPLERS[m.sampler]
  if sampler.check is not None:
    sampler.check(process, m.sample_steps)
  num_classes = info.num_classes if m.class_conditional else 0
  net = build_net(m, process.output_channels(info.shape[-1]), num_classes,
                  jnp.dtype(run.train.compute_dtype))
  offset = (likelihood.pixel_offset(data.pixels, info, process.likelihood)
            if process.likelihood is not None else None)
  mask = inpaint_mask(m, info) if 'inpaint' in process.modes else None
  return Diffusion(m=m, info=info, net=net, process=process, sampler=sampler,
                   num_classes=num_classes, clip=clip, offset=offset, mask=mask)


def low_res_condition(x: jax.Array, size: int) -> jax.Array:
  """Average-pool x [B, H, W, C] to size x size, then bicubic back up to H x W."""
  b, h, w, c = x.shape
  f = h // size
  small = x.reshape(b, size, f, size, f, c).mean(axis=(2, 4))
  return jax.image.resize(small, x.shape, 'bicubic')


def apply(d: Diffusion, p, x, tin, y, cond, train=False, key=None):
  """The network on x (the conditioning channels appended) at time input tin."""
  inp = x if cond is None else jnp.concatenate([x, cond], axis=-1)
  rngs = {'dropout': key} if train and key is not None else None
  return d.net.apply({'params': p}, inp, tin, y, train, rngs=rngs)


def conditioning(d: Diffusion, batch, n=None):
  """(labels, low-resolution condition) of a batch, each None where unused."""
  y = batch['y'] if d.num_classes else None
  cond = low_res_condition(batch['x'], d.m.low_res_size) if d.m.low_res_size else None
  if n is not None:
    y = None if y is None else y[:n]
    cond = None if cond is None else cond[:n]
  return y, cond


def loss_per_example(d: Diffusion, p, batch, key, model_state, train: bool):
  k_t, k_noise, k_drop, k_net = jax.random.split(key, 4)
  x0 = batch['x'].astype(jnp.float32)
  y, cond = conditioning(d, batch)
  if train and d.num_classes and d.m.label_dropout > 0:
    y = guidance.drop_labels(k_drop, y, d.m.label_dropout, d.num_classes)
  noise = jax.random.normal(k_noise, x0.shape)
  net_fn = functools.partial(apply, d, p, y=y, cond=cond, train=train, key=k_net)
  return d.process.loss(net_fn, x0, noise, k_t, model_state, train)


def loss_fn(d: Diffusion, params, model_state, batch, key, step):
  del step
  losses, metrics, model_state = loss_per_example(d, params['model'], batch, key, model_state,
                                                  True)
  return losses.mean(), ({k: v.mean() for k, v in metrics.items()}, model_state)


def conditioned_output(d: Diffusion, p, cond, x, tin, y):
  """The network at sampling time: the condition repeated over a guided (doubled) batch."""
  c = None if cond is None else jnp.concatenate([cond] * (x.shape[0] // cond.shape[0]))
  return apply(d, p, x, tin, y, c)


def output_fn(d: Diffusion, p, y, cond):
  """(x, time input) -> network output, guided when model.guidance_scale > 0."""
  fn = functools.partial(conditioned_output, d, p, cond)
  if y is None:
    return functools.partial(fn, y=None)
  return guidance.guided(fn, y, d.num_classes, d.m.guidance_scale, d.channels)


def generate(d: Diffusion, p, key, num: int, y=None, cond=None):
  """`num` samples from the process's prior through the sampler."""
  k_init, k_run = jax.random.split(key)
  fn = d.process.model_fn(output_fn(d, p, y, cond))
  x = d.process.prior_sample(k_init, (num,) + tuple(d.info.shape))
  return d.sampler.run(d.process, k_run, fn, x, d.m.sample_steps, d.m.sampler_options)


def sample_conditioning(d: Diffusion, reference, num: int):
  """Labels cycling through the classes; low-resolution images of the reference batch."""
  y = jnp.arange(num) % d.num_classes if d.num_classes else None
  cond = None
  if d.m.low_res_size:
    idx = jnp.arange(num) % reference['x'].shape[0]
    cond = low_res_condition(reference['x'][idx], d.m.low_res_size)
  return y, cond


def sample(d: Diffusion, params, model_state, key, num, reference):
  y, cond = sample_conditioning(d, reference, num)
  return generate(d, params['model'], key, num, y, cond)


def evaluate(d: Diffusion, params, model_state, batch, key):
  k_loss, k_nll = jax.random.split(key)
  p = params['model']
  loss, metrics, _ = loss_per_example(d, p, batch, k_loss, model_state, False)
  out = {'loss': loss, **metrics}
  if d.m.eval_nll and d.process.likelihood is not None:
    y, cond = conditioning(d, batch)
    out_fn = functools.partial(apply, d, p, y=y, cond=cond)    # unguided
    nll = d.process.nll(k_nll, out_fn, batch['x'].astype(jnp.float32))
    out.update(likelihood.report(nll, d.info, d.offset))
  return out


def visualize(d: Diffusion, params, model_state, batch, key):
  """Images: noisy inputs at 8 increasing noise levels over the model's x_0 predictions.
  Vectors: the model's x_0 prediction for the whole batch at a middle noise level."""
  image = d.info.is_image
  n = min(8, batch['x'].shape[0]) if image else batch['x'].shape[0]
  x0 = batch['x'][:n].astype(jnp.float32)
  y, cond = conditioning(d, batch, n)
  frac = (jnp.arange(n) + 1) / (n + 1) if image else jnp.full((n,), 0.5)
  net_fn = functools.partial(apply, d, params['model'], y=y, cond=cond)
  noisy, x0_hat = d.process.denoised(net_fn, x0, frac, jax.random.normal(key, x0.shape))
  if d.clip is not None:
    x0_hat = jnp.clip(x0_hat, *d.clip)
  if not image:
    return {'denoised': x0_hat}
  return {'denoising': jnp.stack([jnp.clip(noisy, *d.clip) if d.clip else noisy, x0_hat])}


def init(d: Diffusion, key, batch):
  x = batch['x'][:1].astype(jnp.float32)
  y, cond = conditioning(d, batch, 1)
  inp = x if cond is None else jnp.concatenate([x, cond], axis=-1)
  params = d.net.init(key, inp, jnp.zeros((1,)), y)['params']
  return {'model': params}, d.process.init_state()
