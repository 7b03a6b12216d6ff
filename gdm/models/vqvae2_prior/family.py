"""The two priors of VQ-VAE-2 (Razavi et al., 2019, sec. 3.2) over a frozen VQ-VAE-2's codes:

  p(top, bottom) = p_top(top) p_bottom(bottom | top),

each a product over its code map in raster order. The top prior is a Gated PixelCNN with
causal self-attention, the bottom prior one conditioned on all the top codes through a
conditioning stack (gdm/nn/vqvae2_priors.py), both behind the autoregressive family's grid
interface (gdm.models.autoregressive: nets.GridNet, heads.CodeCategorical, the sampling loop).
Two players train them on the codes the frozen codec gives every batch, the bottom one on
the true top codes (teacher forcing, as the paper trains them separately). Sampling runs the
top prior, then the bottom prior given the drawn top codes, then the codec's decoder.

Evaluation reports nats per code map of each level (nll_top, nll_bottom), their sum per
image (nll, loss) and bits per code over both maps.

Every function here takes the `Priors` that `build` makes once from the config.
"""
import dataclasses
import functools
import math
from typing import Any

import jax
import jax.numpy as jnp

from gdm.data.source import DatasetInfo
from gdm.models import frozen, vqvae2
from gdm.models.autoregressive import heads, nets, sampling
from gdm.models.autoregressive.steppers import Recompute
from gdm.models.vqvae2 import family as codec_lib
from gdm.models.vqvae2_prior.config import PriorNetConfig, VQVAE2PriorConfig, check
from gdm.nn.vqvae2_priors import GatedCodePrior
from gdm.train.config import RunConfig

LEVELS = codec_lib.LEVELS          # ('top', 'bottom'): the order of sampling
ROLE = 'model.vqvae2_workdir'


@dataclasses.dataclass(frozen=True, eq=False)   # compared by identity: it holds arrays
class Priors:
  m: VQVAE2PriorConfig
  info: DatasetInfo
  codec: codec_lib.VQVAE2
  state: Any                       # {'params', 'model_state'} of the codec: host arrays
  head: heads.CodeCategorical
  nets: dict                       # level -> nets.GridNet
  num_classes: int

  @property
  def grid_shapes(self) -> dict:
    return {level: shape + (1,) for level, shape in self.codec.code_shapes.items()}


def prior_net(s: PriorNetConfig, num_codes: int, cond_up: int) -> GatedCodePrior:
  return GatedCodePrior(num_codes, s.features, s.num_layers, s.kernel_size,
                        s.first_kernel_size, s.head_features, s.attention_every, s.num_heads,
                        s.cond_features, s.cond_blocks, cond_up)


def build(run: RunConfig, info: DatasetInfo) -> Priors:
  m = run.model
  check(m, info)
  if m.vqvae2_workdir:
    restored = frozen.restore_finished(m.vqvae2_workdir, vqvae2.FAMILY, ROLE, run, info)
    codec = codec_lib.build(restored.config, restored.info)
    params, model_state = restored.params, restored.model_state
  else:
    codec, params, model_state = frozen.untrained(codec_lib.build, codec_lib.init, run,
                                                  m.untrained_vqvae2, info)
  k = codec.m.num_codes
  shapes = {level: shape + (1,) for level, shape in codec.code_shapes.items()}
  modules = {'top': prior_net(m.top, k, 0), 'bottom': prior_net(m.bottom, k, codec.m.levels[1])}
  return Priors(m=m, info=info, codec=codec, state=frozen.host_state(params, model_state),
                head=heads.CodeCategorical(k),
                nets={level: nets.GridNet(modules[level], shapes[level], k) for level in LEVELS},
                num_classes=info.num_classes if m.conditional else 0)


def code_grids(pr: Priors, model_state, x) -> dict:
  """Prepared images -> {level: codes as a float grid [B, h, w, 1]} (the heads' format)."""
  s = model_state['vqvae2']
  codes = codec_lib.codes_of(pr.codec, s['params'], s['model_state'], x)
  return {level: c.astype(jnp.float32)[..., None] for level, c in codes.items()}


def labels(pr: Priors, batch):
  return batch['y'] if pr.num_classes else None


def outputs(pr: Priors, params, level: str, y, top, grid):
  """The `level` prior's outputs on `grid` [B, h, w, 1] given labels y and (bottom) the top
  codes; partial(outputs, pr, params, level, y, top) is a steppers.Recompute's out_fn."""
  k = pr.head.num_params
  label = None if y is None else jax.nn.one_hot(y, pr.num_classes)
  given = nets.one_hot_codes(top, k) if level == 'bottom' else None
  return pr.nets[level].apply(params[level], nets.one_hot_codes(grid, k), (label, given))


def nll(pr: Priors, params, level: str, grids: dict, y):
  """Nats per code map [B] of the `level` prior (the bottom one given the true top codes)."""
  grid = grids[level]
  pr.head.check(grid)
  per = pr.head.log_prob(outputs(pr, params, level, y, grids['top'], grid), grid)
  return -per.reshape(per.shape[0], -1).sum(1)


def level_loss(pr: Priors, level: str, params, model_state, batch, key, step):
  del key, step
  value = nll(pr, params, level, code_grids(pr, model_state, batch['x']), labels(pr, batch))
  return value.mean(), ({'nll': value.mean()}, model_state)


def init(pr: Priors, key, batch):
  model_state = {'vqvae2': jax.tree.map(jnp.asarray, pr.state)}
  grids = code_grids(pr, model_state, batch['x'][:1])
  y = labels(pr, batch)
  label = None if y is None else jax.nn.one_hot(y[:1], pr.num_classes)
  k = pr.head.num_params
  params = {}
  for level, k_level in zip(LEVELS, jax.random.split(key)):
    given = nets.one_hot_codes(grids['top'], k) if level == 'bottom' else None
    params[level] = pr.nets[level].init(k_level, nets.one_hot_codes(grids[level], k),
                                        (label, given))
  return params, model_state


def evaluate(pr: Priors, params, model_state, batch, key):
  del key
  grids = code_grids(pr, model_state, batch['x'])
  y = labels(pr, batch)
  out = {f'nll_{level}': nll(pr, params, level, grids, y) for level in LEVELS}
  total = out['nll_top'] + out['nll_bottom']
  codes = sum(math.prod(shape) for shape in pr.grid_shapes.values())
  return {'loss': total, 'nll': total, 'bits_per_code': total / (codes * math.log(2.0)), **out}


def sample_codes(pr: Priors, params, key, num: int, y=None) -> dict:
  """Top codes from the top prior, then bottom codes from the bottom prior given them."""
  k_top, k_bottom = jax.random.split(key)
  shapes = pr.grid_shapes
  # The recomputing stepper: one full pass of a prior per drawn code (the priors have no
  # cached stepper yet; the grids are small).
  top = sampling.sample(Recompute(functools.partial(outputs, pr, params, 'top', y, None)),
                        pr.head, k_top, (num,) + shapes['top'])
  bottom = sampling.sample(
      Recompute(functools.partial(outputs, pr, params, 'bottom', y, top)), pr.head, k_bottom,
      (num,) + shapes['bottom'])
  return {'top': top, 'bottom': bottom}


def sample(pr: Priors, params, model_state, key, num, reference):
  """num images (class-conditional: the classes in turn): both priors, then the decoder."""
  del reference
  y = jnp.arange(num) % pr.num_classes if pr.num_classes else None
  grids = sample_codes(pr, params, key, num, y)
  s = model_state['vqvae2']
  codes = {level: jnp.round(g[..., 0]).astype(jnp.int32) for level, g in grids.items()}
  return codec_lib.decode_codes(pr.codec, s['params'], s['model_state'], codes)


def visualize(pr: Priors, params, model_state, batch, key):
  del params, model_state, batch, key
  return {}
