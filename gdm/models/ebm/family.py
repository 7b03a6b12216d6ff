"""Energy-based models trained by contrastive divergence with SGLD negatives.

One player lowers the energy of data and raises that of negatives drawn by MCMC on the
current energy (gdm.objectives.contrastive; gdm.sampling.chains: Langevin dynamics by
default, MALA, or IGEBM's step and noise set apart, `model.sgld.kind`). Chains either persist in a replay buffer kept in model_state
(Du & Mordatch, 2019: each step restarts a share `buffer.reinit_share` of them from uniform
noise) or, with model.buffer.size=0, start from uniform noise every step (short-run
non-persistent MCMC, Nijkamp et al., 2019). The energy is an MLP for vectors or a spectrally
normalised ResNet for images; `model.conditional` gives one energy per class,
E(x, y) = f(x)[y], whose class-free energy is E(x) = -logsumexp_y(-f(x)[y]).

Evaluation reports per example the CD loss term with negatives drawn as in training (the
buffer is read, not written), the energy gap, and the energies of data, negatives and
uniform noise. Sampling runs `sampling.steps` of the same chain from uniform noise (or picks
buffer entries, `sampling.init='buffer'`, as the paper's samples).

Every function here takes the `EBM` that `build` makes once from the config; the package's
`make` binds them into the trainer's `Model`.
"""
import dataclasses

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.data.preprocess import data_range
from gdm.data.source import DatasetInfo
from gdm.models.ebm.config import EBMConfig, check
from gdm.models.ebm.nets import build_net
from gdm.objectives.contrastive import contrastive_divergence
from gdm.sampling import replay_buffer as rb
from gdm.sampling import chains
from gdm.sampling.langevin import sgld
from gdm.train.config import RunConfig


@dataclasses.dataclass(frozen=True)
class EBM:
  """What every function of the family needs, built once from the config."""
  m: EBMConfig
  info: DatasetInfo
  net: nn.Module
  num_classes: int              # > 0: one energy per class (model.conditional)
  low: float                    # the box chains start in and stay in
  high: float

  @property
  def bounds(self) -> tuple[float, float]:
    return self.low, self.high

  @property
  def sample_steps(self) -> int:
    return self.m.sampling.steps or self.m.sgld.steps

  @property
  def persistent(self) -> bool:
    return self.m.buffer.size > 0


def bounds_of(run: RunConfig, info: DatasetInfo) -> tuple[float, float]:
  """The box chains start in (uniformly) and stay in: the prepared pixel range for images,
  [-noise_range, noise_range] per coordinate for vectors."""
  if not info.is_image:
    return -run.model.noise_range, run.model.noise_range
  d = run.data
  low = -1.0 if d.scale == 'minus_one_one' and d.binarize == 'none' else 0.0
  return low, low + data_range(d.pixels, info)


def build(run: RunConfig, info: DatasetInfo) -> EBM:
  m = run.model
  check(run, info)
  num_classes = info.num_classes if m.conditional else 0
  net = build_net(m, max(num_classes, 1), jnp.dtype(run.train.compute_dtype))
  low, high = bounds_of(run, info)
  return EBM(m=m, info=info, net=net, num_classes=num_classes, low=low, high=high)


def outputs(ebm: EBM, p, model_state, x, update_stats=False):
  """Network outputs [B, out_dim] in float32, and the new spectral-norm state."""
  variables = {'params': p}
  if 'spectral' in model_state:
    variables['batch_stats'] = model_state['spectral']
  if update_stats and 'spectral' in model_state:
    out, new = ebm.net.apply(variables, x, update_stats=True, mutable=['batch_stats'])
    return out.astype(jnp.float32), {**model_state, 'spectral': new['batch_stats']}
  return ebm.net.apply(variables, x).astype(jnp.float32), model_state


def pick_energy(ebm: EBM, out, y):
  if not ebm.num_classes:
    return out[:, 0]
  if y is None:      # the class-free energy of a class-conditional model
    return -jax.nn.logsumexp(-out, axis=-1)
  return jnp.take_along_axis(out, y[:, None].astype(jnp.int32), axis=1)[:, 0]


def energy(ebm: EBM, p, model_state, x, y=None):
  """Per-example energies [B] under params p (params['model']); y=None: class-free."""
  return pick_energy(ebm, outputs(ebm, p, model_state, x)[0], y)


def chain(ebm: EBM, p, model_state, x0, y, key, num_steps):
  """`num_steps` of model.sgld's chain from x0 under the (frozen) params p; the result
  carries no gradient."""
  p = jax.lax.stop_gradient(p)
  x = chains.run(ebm.m.sgld, lambda v: energy(ebm, p, model_state, v, y), x0, key, num_steps,
                 ebm.bounds)
  return jax.lax.stop_gradient(x)


def descend(ebm: EBM, p, model_state, x0, y, key, num_steps, noise_scale, update=None):
  """Energy descent from x0 (SGLD with model.sgld.step_size and the given noise; update:
  the entries that move), for restoring corrupted data rather than sampling."""
  p, s = jax.lax.stop_gradient(p), ebm.m.sgld
  x = sgld(lambda v: energy(ebm, p, model_state, v, y), x0, key, step_size=s.step_size,
           noise_scale=noise_scale, num_steps=num_steps, grad_clip=s.grad_clip,
           bounds=ebm.bounds, update=update, unroll=s.unroll)
  return jax.lax.stop_gradient(x)


def negatives(ebm: EBM, p, model_state, batch, key):
  """(x_neg, y_neg, model_state with the chains written back to the buffer, restarted
  share): negatives paired with the data batch."""
  k_start, k_run = jax.random.split(key)
  x = batch['x']
  y = batch['y'] if ebm.num_classes else None
  if 'buffer' in model_state:
    x0, y0, slots, fresh = rb.draw(model_state['buffer'], k_start, x.shape[0],
                                   ebm.m.buffer.reinit_share, ebm.low, ebm.high, y)
    restarted = fresh.astype(jnp.float32).mean()
  else:
    x0, y0, restarted = rb.uniform_noise(k_start, x.shape, ebm.low, ebm.high), y, jnp.ones(())
  x_neg = chain(ebm, p, model_state, x0, y0, k_run, ebm.m.sgld.steps)
  if 'buffer' in model_state:
    model_state = {**model_state, 'buffer': rb.write(model_state['buffer'], slots, x_neg, y0)}
  return x_neg, y0, model_state, restarted


def loss(ebm: EBM, params, model_state, batch, key, step):
  del step
  p, x = params['model'], batch['x']
  x_neg, y_neg, model_state, restarted = negatives(ebm, p, model_state, batch, key)
  both = jnp.concatenate([x, x_neg.astype(x.dtype)])
  out, model_state = outputs(ebm, p, model_state, both, update_stats=True)
  y_both = None if not ebm.num_classes else jnp.concatenate([batch['y'], y_neg])
  energies = pick_energy(ebm, out, y_both)
  e_data, e_neg = energies[:x.shape[0]], energies[x.shape[0]:]
  terms = contrastive_divergence(e_data, e_neg, ebm.m.alpha)
  metrics = {'cd': terms['cd'].mean(), 'reg': terms['reg'].mean(),
             'energy_data': e_data.mean(), 'energy_neg': e_neg.mean(), 'restarted': restarted}
  return terms['loss'].mean(), (metrics, model_state)


def init(ebm: EBM, key, batch):
  k_net, k_buffer = jax.random.split(key)
  variables = ebm.net.init(k_net, batch['x'][:1])
  model_state = {}
  if 'batch_stats' in variables:
    model_state['spectral'] = variables['batch_stats']
  if ebm.persistent:
    model_state['buffer'] = rb.init(k_buffer, ebm.m.buffer.size, ebm.info.shape, ebm.low, ebm.high,
                                    ebm.num_classes)
  return {'model': variables['params']}, model_state


def evaluate(ebm: EBM, params, model_state, batch, key):
  k_neg, k_noise = jax.random.split(key)
  p, x = params['model'], batch['x']
  y = batch['y'] if ebm.num_classes else None
  x_neg, y_neg, _, _ = negatives(ebm, p, model_state, batch, k_neg)
  e_data, e_neg = energy(ebm, p, model_state, x, y), energy(ebm, p, model_state, x_neg, y_neg)
  noise = rb.uniform_noise(k_noise, x.shape, ebm.low, ebm.high)
  terms = contrastive_divergence(e_data, e_neg, ebm.m.alpha)
  return {'loss': terms['loss'], 'energy_gap': terms['cd'], 'energy': e_data,
          'energy_neg': e_neg, 'energy_noise': energy(ebm, p, model_state, noise, y)}


def generate(ebm: EBM, p, model_state, key, num, y=None):
  """`num` samples by `sample_steps` of model.sgld's chain from uniform noise (labels y if
  conditional)."""
  k_start, k_run = jax.random.split(key)
  x0 = rb.uniform_noise(k_start, (num,) + tuple(ebm.info.shape), ebm.low, ebm.high)
  return chain(ebm, p, model_state, x0, y, k_run, ebm.sample_steps)


def sample(ebm: EBM, params, model_state, key, num, reference):
  if ebm.m.sampling.init == 'buffer':
    return rb.pick(model_state['buffer'], key, num)[0]
  y = jnp.arange(num) % ebm.num_classes if ebm.num_classes else None
  return generate(ebm, params['model'], model_state, key, num, y)


def visualize(ebm: EBM, params, model_state, batch, key):
  """Data beside the negatives the trainer sees (buffer entries, or short-run chains)."""
  if 'buffer' in model_state:
    shown = model_state['buffer']['x'][:batch['x'].shape[0]]
  else:
    shown = negatives(ebm, params['model'], model_state, batch, key)[0]
  if not ebm.info.is_image:
    return {'negatives': shown}
  n = min(8, batch['x'].shape[0])
  return {'negatives': jnp.stack([batch['x'][:n], shown[:n]])}
