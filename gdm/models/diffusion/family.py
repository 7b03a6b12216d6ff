"""Diffusion and score-based models: one network, a pluggable process and a sampler.

The network reads the noisy data (and, for super-resolution, the upsampled low-resolution
image as extra channels), a time input and optionally a label; the process
(gdm.diffusion.processes, model.process) decides both inputs, what the output means, the
training loss, the prior and the likelihood; the sampler (gdm.diffusion.samplers,
model.sampler) integrates what the process's model_fn makes of the (guided) network.
Classifier-free guidance (model.guidance_scale) mixes the conditional and unconditional
outputs; everything runs through the trainer's EMA params.

With a first stage (model.autoencoder_workdir, latent.py) the same process and sampler run
on its scaled latents: batches are encoded on the fly, samples decoded, and evaluation adds
the first stage's reconstruction psnr / ssim; the model state then holds the process's state
under 'process' and the frozen first stage with the scale factor under 'latent'.

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
from gdm.models.diffusion import latent as latent_lib
from gdm.models.diffusion.config import DiffusionConfig, check, inpaint_mask
from gdm.models.diffusion.nets import build_net
from gdm.train.config import RunConfig


@dataclasses.dataclass(frozen=True)
class Diffusion:
  """What every function of the family needs, built once from the config."""
  m: DiffusionConfig
  info: DatasetInfo             # what the process models: the data, or the latents
  net: nn.Module
  process: Any                  # a gdm.diffusion.processes process
  sampler: Sampler
  num_classes: int              # > 0: class-conditional (label num_classes = no label)
  clip: tuple[float, float] | None   # the images' value range
  offset: float | None          # nats to add to the process's nll for bits/dim; None: no bpd
  mask: np.ndarray | None       # inpainting: 1 = known (processes that offer inpaint)
  latent: latent_lib.LatentSpace | None = None   # latent diffusion: the frozen first stage

  @property
  def channels(self) -> int:
    return self.info.shape[-1]


def value_range(run: RunConfig, info: DatasetInfo):
  if not info.is_image or run.data.scale == 'none':
    return None
  return (-1.0, 1.0) if run.data.scale == 'minus_one_one' else (0.0, 1.0)


def build(run: RunConfig, info: DatasetInfo) -> Diffusion:
  m, data = run.model, run.data
  latent = latent_lib.load(run, info)
  if latent is not None:
    info = latent.info(info)
  check(m, info)
  clip = value_range(run, info) if latent is None else None
  discrete = bool(info.is_image and data.scale == 'minus_one_one' and not data.dequantize
                  and data.binarize == 'none' and latent is None)
  spec = ProcessData(tuple(info.shape), m.parameterization, clip, discrete)
  process = PROCESSES[m.process].build(m.process_settings, spec)
  sampler = SAMPLERS[m.sampler]
  if sampler.check is not None:
    sampler.check(process, m.sample_steps)
  num_classes = info.num_classes if m.class_conditional else 0
  net = build_net(m, process.output_channels(info.shape[-1]), num_classes,
                  jnp.dtype(run.train.compute_dtype))
  offset = (likelihood.pixel_offset(data.pixels, info, process.likelihood)
            if process.likelihood is not None and latent is None else None)
  mask = inpaint_mask(m, info) if 'inpaint' in process.modes and latent is None else None
  return Diffusion(m=m, info=info, net=net, process=process, sampler=sampler,
                   num_classes=num_classes, clip=clip, offset=offset, mask=mask, latent=latent)


def process_state(d: Diffusion, model_state):
  return model_state if d.latent is None else model_state['process']


def with_process_state(d: Diffusion, model_state, new):
  return new if d.latent is None else {**model_state, 'process': new}


def model_space(d: Diffusion, model_state, x, key):
  """Prepared data -> what the process diffuses: the data, or the scaled latents."""
  x = x.astype(jnp.float32)
  return x if d.latent is None else latent_lib.to_latent(d.latent, model_state['latent'], x,
                                                        key)


def data_space(d: Diffusion, model_state, x):
  return x if d.latent is None else latent_lib.to_data(d.latent, model_state['latent'], x)


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
  x0 = model_space(d, model_state, batch['x'], key)
  y, cond = conditioning(d, batch)
  if train and d.num_classes and d.m.label_dropout > 0:
    y = guidance.drop_labels(k_drop, y, d.m.label_dropout, d.num_classes)
  noise = jax.random.normal(k_noise, x0.shape)
  net_fn = functools.partial(apply, d, p, y=y, cond=cond, train=train, key=k_net)
  losses, metrics, new = d.process.loss(net_fn, x0, noise, k_t, process_state(d, model_state),
                                        train)
  return losses, metrics, with_process_state(d, model_state, new)


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
  x = d.process.prior_sample(k_init, (num,) + tuple(d.info.shape))   # latents: scaled
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
  return data_space(d, model_state, generate(d, params['model'], key, num, y, cond))


def evaluate(d: Diffusion, params, model_state, batch, key):
  k_loss, k_nll = jax.random.split(key)
  p = params['model']
  loss, metrics, _ = loss_per_example(d, p, batch, k_loss, model_state, False)
  out = {'loss': loss, **metrics}
  if d.latent is not None:
    out.update(latent_lib.first_stage_metrics(d.latent, model_state['latent'], batch['x'],
                                              k_loss))
  if d.m.eval_nll and d.process.likelihood is not None:
    y, cond = conditioning(d, batch)
    out_fn = functools.partial(apply, d, p, y=y, cond=cond)    # unguided
    nll = d.process.nll(k_nll, out_fn, model_space(d, model_state, batch['x'], k_loss))
    if d.latent is None:
      out.update(likelihood.report(nll, d.info, d.offset))
    else:   # nats per example of the scaled latents: no likelihood of the data
      out['latent_nll'] = nll
  return out


def visualize(d: Diffusion, params, model_state, batch, key):
  """Images: noisy inputs at 8 increasing noise levels over the model's x_0 predictions.
  Vectors: the model's x_0 prediction for the whole batch at a middle noise level."""
  image = d.info.is_image
  n = min(8, batch['x'].shape[0]) if image else batch['x'].shape[0]
  x0 = model_space(d, model_state, batch['x'][:n], key)
  y, cond = conditioning(d, batch, n)
  frac = (jnp.arange(n) + 1) / (n + 1) if image else jnp.full((n,), 0.5)
  net_fn = functools.partial(apply, d, params['model'], y=y, cond=cond)
  noisy, x0_hat = d.process.denoised(net_fn, x0, frac, jax.random.normal(key, x0.shape))
  if d.latent is not None:    # data / noisy latents / predictions, all decoded
    rows = [batch['x'][:n].astype(jnp.float32)] + [data_space(d, model_state, v)
                                                   for v in (noisy, x0_hat)]
    return {'denoising': jnp.stack(rows)}
  if d.clip is not None:
    x0_hat = jnp.clip(x0_hat, *d.clip)
  if not image:
    return {'denoised': x0_hat}
  return {'denoising': jnp.stack([jnp.clip(noisy, *d.clip) if d.clip else noisy, x0_hat])}


def init(d: Diffusion, key, batch):
  x = (batch['x'][:1].astype(jnp.float32) if d.latent is None
       else jnp.zeros((1,) + tuple(d.info.shape), jnp.float32))
  y, cond = conditioning(d, batch, 1)
  inp = x if cond is None else jnp.concatenate([x, cond], axis=-1)
  params = d.net.init(key, inp, jnp.zeros((1,)), y)['params']
  if d.latent is None:
    return {'model': params}, d.process.init_state()
  latent = latent_lib.init_state(d.latent, batch['x'], jax.random.fold_in(key, 1))
  return {'model': params}, {'process': d.process.init_state(), 'latent': latent}
