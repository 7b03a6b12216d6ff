"""Energy-based models trained by contrastive divergence with SGLD negatives.

One player lowers the energy of data and raises that of negatives drawn by stochastic
gradient Langevin dynamics from the current energy (gdm.objectives.contrastive,
gdm.sampling.langevin). Chains either persist in a replay buffer kept in model_state
(Du & Mordatch, 2019: each step restarts a share `reinit_share` of them from uniform noise)
or, with model.buffer_size=0, start from uniform noise every step (short-run non-persistent
MCMC, Nijkamp et al., 2019). The energy is an MLP for vectors or a spectrally normalised
ResNet for images; `model.conditional` gives one energy per class, E(x, y) = f(x)[y], whose
class-free energy is E(x) = -logsumexp_y(-f(x)[y]).

Evaluation reports per example the CD loss term with negatives drawn as in training (the
buffer is read, not written), the energy gap, and the energies of data, negatives and
uniform noise. Sampling runs `sample_steps` of SGLD from uniform noise (or picks buffer
entries, `sample_init='buffer'`, as the paper's samples). Launcher modes: gdm.models.ebm_modes.
"""
import jax
import jax.numpy as jnp
import ml_collections

from gdm.data.preprocess import data_range
from gdm.data.source import DatasetInfo
from gdm.models import ebm_modes
from gdm.train.model import Family, Model
from gdm.models.ebm_nets import EnergyMLP, ResNetEnergy
from gdm.nn.mlp import activation
from gdm.objectives.contrastive import contrastive_divergence
from gdm.sampling import replay_buffer as rb
from gdm.sampling.langevin import check_sgld, sgld
from gdm.train.optim import make_optimizer
from gdm.train.players import Player
from gdm.utils.checks import check_choice

NETS = ('mlp', 'resnet')
SAMPLE_INITS = ('noise', 'buffer')


def check_config(config: ml_collections.ConfigDict, info: DatasetInfo):
  m = config.model
  check_choice(m.net, NETS, 'energy network', 'model.net')
  check_choice(m.sample_init, SAMPLE_INITS, 'sample init', 'model.sample_init')
  activation(m.act)
  if m.net == 'resnet':
    if not info.is_image:
      raise ValueError(f"model.net='resnet' needs an image dataset; {info.name!r} is "
                       "2-D/tabular (use model.net='mlp')")
    if not m.channels or m.blocks < 1:
      raise ValueError(f'model.channels={tuple(m.channels)} must be non-empty and '
                       f'model.blocks={m.blocks} >= 1')
  check_sgld(m.step_size, m.noise_scale, m.sgld_steps, m.grad_clip)
  if m.sgld_unroll < 1:
    raise ValueError(f'model.sgld_unroll={m.sgld_unroll} must be >= 1')
  if not 0 <= m.reinit_share <= 1:
    raise ValueError(f'model.reinit_share={m.reinit_share} must be in [0, 1]')
  if not m.alpha >= 0:
    raise ValueError(f'model.alpha={m.alpha} must be >= 0')
  if m.buffer_size < 0:
    raise ValueError(f'model.buffer_size={m.buffer_size} must be >= 0 (0 = short-run chains '
                     'from noise)')
  biggest = max(config.train.batch_size, config.eval.batch_size)
  if 0 < m.buffer_size < biggest:
    raise ValueError(f'model.buffer_size={m.buffer_size} must be 0 or >= the batch size '
                     f'{biggest} (each batch draws distinct buffer slots)')
  if m.sample_init == 'buffer' and not m.buffer_size:
    raise ValueError("model.sample_init='buffer' needs a replay buffer (model.buffer_size > 0)")
  if not info.is_image and not m.noise_range > 0:
    raise ValueError(f'model.noise_range={m.noise_range} must be > 0')
  if m.sample_steps < 0:
    raise ValueError(f'model.sample_steps={m.sample_steps} must be >= 0 (0 = sgld_steps)')
  if m.restore_steps < 1:
    raise ValueError(f'model.restore_steps={m.restore_steps} must be >= 1')
  if not m.restore_noise >= 0:
    raise ValueError(f'model.restore_noise={m.restore_noise} must be >= 0')
  if not m.corrupt_std > 0:
    raise ValueError(f'model.corrupt_std={m.corrupt_std} must be > 0')
  if m.conditional and info.num_classes <= 0:
    raise ValueError(f'model.conditional=True needs a labelled dataset; {info.name!r} has no '
                     'labels')


def bounds_of(config, info: DatasetInfo) -> tuple[float, float]:
  """The box chains start in (uniformly) and stay in: the prepared pixel range for images,
  [-noise_range, noise_range] per coordinate for vectors."""
  if not info.is_image:
    return -config.model.noise_range, config.model.noise_range
  d = config.data
  low = -1.0 if d.scale == 'minus_one_one' and d.binarize == 'none' else 0.0
  return low, low + data_range(d, info)


def build_net(m, info: DatasetInfo, out_dim: int, dtype):
  if m.net == 'resnet':
    return ResNetEnergy(tuple(m.channels), m.blocks, out_dim, m.act, m.spectral_norm, dtype)
  return EnergyMLP(tuple(m.hidden), out_dim, m.act, m.spectral_norm, dtype)


def make(config: ml_collections.ConfigDict, info: DatasetInfo) -> Model:
  check_config(config, info)
  m = config.model
  num_classes = info.num_classes if m.conditional else 0
  net = build_net(m, info, max(num_classes, 1), jnp.dtype(config.train.compute_dtype))
  low, high = bounds_of(config, info)
  sample_steps = m.sample_steps or m.sgld_steps

  def outputs(p, model_state, x, update_stats=False):
    """Network outputs [B, out_dim] in float32, and the new spectral-norm state."""
    variables = {'params': p}
    if 'spectral' in model_state:
      variables['batch_stats'] = model_state['spectral']
    if update_stats and 'spectral' in model_state:
      out, new = net.apply(variables, x, update_stats=True, mutable=['batch_stats'])
      return out.astype(jnp.float32), {**model_state, 'spectral': new['batch_stats']}
    return net.apply(variables, x).astype(jnp.float32), model_state

  def pick_energy(out, y):
    if not num_classes:
      return out[:, 0]
    if y is None:      # the class-free energy of a class-conditional model
      return -jax.nn.logsumexp(-out, axis=-1)
    return jnp.take_along_axis(out, y[:, None].astype(jnp.int32), axis=1)[:, 0]

  def energy(p, model_state, x, y=None):
    return pick_energy(outputs(p, model_state, x)[0], y)

  def chain(p, model_state, x0, y, key, num_steps, noise_scale, update=None):
    """SGLD from x0 under the (frozen) params p; the result carries no gradient."""
    p = jax.lax.stop_gradient(p)
    x = sgld(lambda v: energy(p, model_state, v, y), x0, key, step_size=m.step_size,
             noise_scale=noise_scale, num_steps=num_steps, grad_clip=m.grad_clip,
             bounds=(low, high), update=update, unroll=m.sgld_unroll)
    return jax.lax.stop_gradient(x)

  def negatives(p, model_state, batch, key):
    """(x_neg, y_neg, model_state with the chains written back to the buffer, restarted
    share): negatives paired with the data batch."""
    k_start, k_run = jax.random.split(key)
    x = batch['x']
    y = batch['y'] if num_classes else None
    if 'buffer' in model_state:
      x0, y0, slots, fresh = rb.draw(model_state['buffer'], k_start, x.shape[0],
                                     m.reinit_share, low, high, y)
      restarted = fresh.astype(jnp.float32).mean()
    else:
      x0, y0, restarted = rb.uniform_noise(k_start, x.shape, low, high), y, jnp.ones(())
    x_neg = chain(p, model_state, x0, y0, k_run, m.sgld_steps, m.noise_scale)
    if 'buffer' in model_state:
      model_state = {**model_state, 'buffer': rb.write(model_state['buffer'], slots, x_neg,
                                                      y0)}
    return x_neg, y0, model_state, restarted

  def loss_fn(params, model_state, batch, key, step):
    del step
    p, x = params['model'], batch['x']
    x_neg, y_neg, model_state, restarted = negatives(p, model_state, batch, key)
    both = jnp.concatenate([x, x_neg.astype(x.dtype)])
    out, model_state = outputs(p, model_state, both, update_stats=True)
    y_both = None if not num_classes else jnp.concatenate([batch['y'], y_neg])
    e = pick_energy(out, y_both)
    terms = contrastive_divergence(e[:x.shape[0]], e[x.shape[0]:], m.alpha)
    metrics = {'cd': terms['cd'].mean(), 'reg': terms['reg'].mean(),
               'energy_data': e[:x.shape[0]].mean(), 'energy_neg': e[x.shape[0]:].mean(),
               'restarted': restarted}
    return terms['loss'].mean(), (metrics, model_state)

  def init(key, batch):
    k_net, k_buffer = jax.random.split(key)
    variables = net.init(k_net, batch['x'][:1])
    model_state = {}
    if 'batch_stats' in variables:
      model_state['spectral'] = variables['batch_stats']
    if m.buffer_size:
      model_state['buffer'] = rb.init(k_buffer, m.buffer_size, info.shape, low, high,
                                      num_classes)
    return {'model': variables['params']}, model_state

  def evaluate(params, model_state, batch, key):
    k_neg, k_noise = jax.random.split(key)
    p, x = params['model'], batch['x']
    y = batch['y'] if num_classes else None
    x_neg, y_neg, _, _ = negatives(p, model_state, batch, k_neg)
    e_data, e_neg = energy(p, model_state, x, y), energy(p, model_state, x_neg, y_neg)
    noise = rb.uniform_noise(k_noise, x.shape, low, high)
    terms = contrastive_divergence(e_data, e_neg, m.alpha)
    return {'loss': terms['loss'], 'energy_gap': terms['cd'], 'energy': e_data,
            'energy_neg': e_neg, 'energy_noise': energy(p, model_state, noise, y)}

  def generate(p, model_state, key, num, y=None, num_steps=sample_steps):
    k_start, k_run = jax.random.split(key)
    x0 = rb.uniform_noise(k_start, (num,) + tuple(info.shape), low, high)
    return chain(p, model_state, x0, y, k_run, num_steps, m.noise_scale)

  def sample(params, model_state, key, num, reference):
    if m.sample_init == 'buffer':
      return rb.pick(model_state['buffer'], key, num)[0]
    y = jnp.arange(num) % num_classes if num_classes else None
    return generate(params['model'], model_state, key, num, y)

  def visualize(params, model_state, batch, key):
    """Data beside the negatives the trainer sees (buffer entries, or short-run chains)."""
    if 'buffer' in model_state:
      shown = model_state['buffer']['x'][:batch['x'].shape[0]]
    else:
      shown = negatives(params['model'], model_state, batch, key)[0]
    if not info.is_image:
      return {'negatives': shown}
    n = min(8, batch['x'].shape[0])
    return {'negatives': jnp.stack([batch['x'][:n], shown[:n]])}

  tools = ebm_modes.Tools(
      energy=energy, chain=chain, generate=generate, is_image=info.is_image,
      num_classes=num_classes, bounds=(low, high), corrupt_std=m.corrupt_std,
      restore_steps=m.restore_steps, restore_noise=m.restore_noise)
  optimizer = make_optimizer(config.train.optimizer, config.train.num_steps)
  return Model(init=init, players=(Player('model', loss_fn, optimizer),), evaluate=evaluate,
               sample=sample, visualize=visualize, modes=ebm_modes.make_modes(tools))


FAMILY = Family('ebm', None, make)
