"""Autoregressive models: NADE, MADE, PixelCNN, Gated PixelCNN, PixelCNN++ and a PixelCNN
prior over the code maps of a trained VQ-VAE.

p(x) = prod_i p(x_i | x_<i) in raster order (rows, columns, then channels R < G < B), with
exact likelihood: one player minimises the negative log-likelihood per example. Evaluation
reports it in nats/example and bits/dim through gdm.metrics.bits_per_dim (discrete models:
offset 0; binarized images give bits per binary dimension; 2-D toys with a Gaussian mixture
per dimension report a density, no bpd). A VQ-VAE prior reports nats per code map and bits
per code. Sampling and completion (`--mode=inpaint`: the bottom rows given the top
`model.inpaint_rows`) are compiled loops over positions (gdm/models/autoregressive_sampling.py).
"""
import math

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from gdm.data.source import DatasetInfo
from gdm.metrics import bits_per_dim as likelihood
from gdm.models import autoregressive_heads as heads
from gdm.models import autoregressive_nets as nets
from gdm.models import autoregressive_sampling as sampling
from gdm.models import autoregressive_vq
from gdm.train.model import Family, Model
from gdm.nn.made import input_degrees
from gdm.nn.mlp import activation
from gdm.train.optim import make_optimizer
from gdm.train.players import Player
from gdm.utils.checks import check_choice

GRID_COLS = 8


def _check_data(m, d, info: DatasetInfo):
  """The likelihood must match what the data are (one-line errors)."""
  if m.vqvae_workdir or m.vqvae_config:
    if m.likelihood != 'categorical' or m.net not in ('pixelcnn', 'gated_pixelcnn'):
      raise ValueError(f"a prior over VQ-VAE codes is a pixelcnn or gated_pixelcnn with "
                       f"likelihood='categorical'; got net={m.net!r}, "
                       f"likelihood={m.likelihood!r}")
    return
  if m.likelihood == 'gaussian_mixture':
    if info.is_image:
      raise ValueError("model.likelihood='gaussian_mixture' is for real-valued vectors (2-D "
                       f"toys); {info.name!r} holds images: use bernoulli, categorical or "
                       "logistic_mixture")
    return
  if not info.is_image:
    raise ValueError(f'model.likelihood={m.likelihood!r} needs images; {info.name!r} holds '
                     "real-valued vectors: use likelihood='gaussian_mixture'")
  if m.likelihood == 'bernoulli':
    if d.binarize == 'none':
      raise ValueError("model.likelihood='bernoulli' needs binary pixels: set "
                       "data.binarize=static or dynamic")
  elif d.scale != 'minus_one_one' or d.dequantize or d.binarize != 'none':
    raise ValueError(f'model.likelihood={m.likelihood!r} needs integer pixel values in '
                     f'[0, 255] scaled to [-1, 1]: data.scale=minus_one_one, no dequantize, '
                     f'no binarize (got scale={d.scale!r}, dequantize={d.dequantize}, '
                     f'binarize={d.binarize!r})')


def check_config(config: ml_collections.ConfigDict, info: DatasetInfo):
  m = config.model
  check_choice(m.net, nets.NETS, 'autoregressive net', 'model.net')
  check_choice(m.likelihood, heads.HEADS, 'autoregressive likelihood', 'model.likelihood')
  if (m.net == 'pixelcnn_pp') != (m.likelihood == 'logistic_mixture'):
    raise ValueError(f"model.net='pixelcnn_pp' goes with likelihood='logistic_mixture' (a "
                     f"pixel-wise mixture) and only with it; got net={m.net!r}, "
                     f"likelihood={m.likelihood!r}")
  if m.net in nets.IMAGE_NETS and not info.is_image:
    raise ValueError(f'model.net={m.net!r} needs images; {info.name!r} holds vectors: use '
                     'made or nade')
  activation(m.act)
  if m.net in ('made', 'nade'):
    if not m.hidden or min(m.hidden) < 1 or (m.net == 'nade' and len(m.hidden) != 1):
      raise ValueError(f'model.hidden={tuple(m.hidden)} must list positive widths (one for '
                       'nade)')
    if isinstance(m.order, str):
      input_degrees(2, m.order)
  channels = info.shape[-1] if info.is_image else 1
  if m.net in ('pixelcnn', 'gated_pixelcnn'):
    unit = 2 * channels if m.net == 'pixelcnn' else channels
    if m.features < 1 or m.features % unit or m.num_layers < 0:
      raise ValueError(f'model.features={m.features} must be a positive multiple of {unit} '
                       f'(channel groups) and model.num_layers={m.num_layers} >= 0')
    if m.first_kernel_size % 2 == 0 or m.kernel_size % 2 == 0:
      raise ValueError(f'model.first_kernel_size={m.first_kernel_size} and kernel_size='
                       f'{m.kernel_size} must be odd')
  if m.net == 'pixelcnn_pp':
    size = 2 ** (m.levels - 1)
    if m.levels < 1 or m.num_resnet < 1 or info.shape[0] % size or info.shape[1] % size:
      raise ValueError(f'model.levels={m.levels} (>= 1) halvings need image sides divisible '
                       f'by {size} (got {info.shape[:2]}) and num_resnet={m.num_resnet} >= 1')
    if not 0 <= m.dropout < 1:
      raise ValueError(f'model.dropout={m.dropout} must be in [0, 1)')
  if m.likelihood in ('gaussian_mixture', 'logistic_mixture') and m.num_mixtures < 1:
    raise ValueError(f'model.num_mixtures={m.num_mixtures} must be >= 1')
  if m.conditional and info.num_classes <= 0:
    raise ValueError(f'model.conditional=True needs a labelled dataset; {info.name!r} has no '
                     'labels')
  rows = info.shape[0] if info.is_image else 1
  if m.inpaint_rows < 0 or (info.is_image and m.inpaint_rows >= rows):
    raise ValueError(f'model.inpaint_rows={m.inpaint_rows} must be in [0, {rows}) (0 = half)')
  _check_data(m, config.data, info)


def _head(m, channels: int, num_codes: int) -> heads.Head:
  if num_codes:
    return heads.code_categorical(num_codes)
  if m.likelihood == 'bernoulli':
    return heads.bernoulli()
  if m.likelihood == 'categorical':
    return heads.eight_bit_categorical()
  if m.likelihood == 'gaussian_mixture':
    return heads.gaussian_mixture(m.num_mixtures)
  return heads.pixel_logistic_mixture(channels, m.num_mixtures)


def make(config: ml_collections.ConfigDict, info: DatasetInfo) -> Model:
  check_config(config, info)
  m = config.model
  codes = (autoregressive_vq.load(m, config.data, info, config.seed)
           if m.vqvae_workdir or m.vqvae_config else None)
  if codes is not None:
    grid_shape = codes.code_shape + (1,)
  elif info.is_image:
    grid_shape = tuple(info.shape)
  else:
    grid_shape = (1, info.shape[0], 1)
  head = _head(m, grid_shape[-1], codes.num_codes if codes else 0)
  num_classes = info.num_classes if m.conditional else 0
  net = nets.build(m, grid_shape, head.num_params, num_classes)
  offset = likelihood.pixel_offset(config.data, info,
                                   'density' if m.likelihood == 'gaussian_mixture' else
                                   'discrete')

  def to_grid(model_state, x):
    """Prepared batch x -> the grid the model scores: images, vectors as [B, 1, D, 1], or a
    VQ-VAE's code map [B, h, w, 1]."""
    if codes is not None:
      return codes.encode(model_state['vqvae'], x).astype(jnp.float32)[..., None]
    return x.reshape((x.shape[0],) + grid_shape)

  def from_grid(model_state, grid):
    if codes is not None:
      return codes.decode(model_state['vqvae'], jnp.round(grid[..., 0]).astype(jnp.int32))
    return grid.reshape((grid.shape[0],) + tuple(info.shape))

  def net_input(grid):
    return nets.one_hot_codes(grid, codes.num_codes) if codes is not None else grid

  def cond_of(y):
    return None if y is None or not num_classes else jax.nn.one_hot(y, num_classes)

  def out_fn(params, y, train=False, key=None):
    return lambda grid: net.apply(params['model'], net_input(grid), cond_of(y), train, key)

  def log_prob(params, grid, y, train=False, key=None):
    head.check(grid)
    out = out_fn(params, y, train, key)(grid)
    per = head.log_prob(out, grid)
    return per.reshape(per.shape[0], -1).sum(1)

  def labels(batch):
    return batch['y'] if num_classes else None

  def loss_fn(params, model_state, batch, key, step):
    del step
    grid = to_grid(model_state, batch['x'])
    nll = -log_prob(params, grid, labels(batch), True, key)
    return nll.mean(), ({'nll': nll.mean()}, model_state)

  def init(key, batch):
    y = labels(batch)
    model_state = ({'vqvae': jax.tree.map(jnp.asarray, codes.state)} if codes is not None
                   else {})
    grid = to_grid(model_state, batch['x'][:1])
    params = net.init(key, net_input(grid), cond_of(None if y is None else y[:1]))
    return {'model': params}, model_state

  def evaluate(params, model_state, batch, key):
    del key
    grid = to_grid(model_state, batch['x'])
    nll = -log_prob(params, grid, labels(batch))
    if codes is not None:
      return {'loss': nll, 'nll': nll,
              'bits_per_code': nll / (math.prod(grid_shape) * math.log(2.0))}
    return {'loss': nll, **likelihood.report(nll, info, offset)}

  def draw(params, model_state, key, num, y):
    grid = sampling.sample(out_fn(params, y), head, key, (num,) + grid_shape)
    return from_grid(model_state, grid)

  def sample(params, model_state, key, num, reference):
    del reference
    y = jnp.arange(num) % num_classes if num_classes else None
    return draw(params, model_state, key, num, y)

  def visualize(params, model_state, batch, key):
    del params, model_state, batch, key
    return {}

  def inpaint(params, model_state, batch, key):
    """The bottom rows given the top `inpaint_rows` (half by default; for a vector, the last
    coordinate given the others): [observed (the rest blank; for a VQ-VAE prior the
    reconstruction), completion, original]."""
    n = min(GRID_COLS, batch['x'].shape[0]) if info.is_image else batch['x'].shape[0]
    x = batch['x'][:n]
    y = None if labels(batch) is None else labels(batch)[:n]
    grid = to_grid(model_state, x)
    rows = m.inpaint_rows or grid_shape[0] // 2
    if codes is not None:    # rows of the image -> rows of the code map
      rows = max(1, rows * grid_shape[0] // info.shape[0])
    observed = (sampling.rows_observed(grid.shape, rows) if grid_shape[0] > 1 else
                np.broadcast_to(np.arange(grid_shape[1])[None, None, :, None]
                                < grid_shape[1] - 1, grid.shape))
    lengths = sampling.prefix_lengths(observed, head.pixel_wise)
    filled = sampling.complete(out_fn(params, y), head, key, grid * observed, lengths)
    if not info.is_image:
      return {'observed': x[:, :-1], 'completion': from_grid(model_state, filled)}
    if codes is None:   # the observed rows over a blank (0) rest
      shown = jnp.where(jnp.asarray(observed).reshape(x.shape), x, 0.0)
    else:               # the VQ-VAE's reconstruction from the full code map
      shown = from_grid(model_state, grid)
    return {'inpainting': jnp.stack([shown, from_grid(model_state, filled), x])}

  optimizer = make_optimizer(config.train.optimizer, config.train.num_steps)
  return Model(init=init, players=(Player('model', loss_fn, optimizer),), evaluate=evaluate,
               sample=sample, visualize=visualize, modes={'inpaint': inpaint})


FAMILY = Family('autoregressive', None, make)
