"""VQ-VAE-2 (Razavi et al., 2019): a two-level VQ-VAE. The top codes summarise global
structure at 1/2**(b+t) of the image size, the bottom codes (1/2**b), conditioned on the
top ones through the top decoder, add local detail; the decoder reads both (nets.py).

Loss per example: ||x - dec(e_t, e_b)||^2 + beta (||z_t - sg(e_t)||^2 + ||z_b - sg(e_b)||^2),
each term a sum over its entries, with both codebooks EMA-updated in `model_state`
(appendix A of the paper; gdm/nn/vector_quantizer.py) and dead codes optionally restarted.
New images need the two priors of gdm.models.vqvae2_prior (top prior, then the bottom prior
given the top codes); `sample` here decodes code maps drawn entry by entry from the
reference batch's code frequencies, a look at the decoder only.

Every function here takes the `VQVAE2` that `build` makes once from the config.
"""
import dataclasses
import math

import jax
import jax.numpy as jnp

from gdm.data.preprocess import data_range
from gdm.data.source import DatasetInfo
from gdm.metrics.image import psnr
from gdm.models.vqvae2.config import VQVAE2Config, check
from gdm.models.vqvae2.nets import VQVAE2Nets
from gdm.nn import vector_quantizer as vq
from gdm.objectives.reconstruction import squared_error
from gdm.train.config import RunConfig

LEVELS = ('top', 'bottom')


@dataclasses.dataclass(frozen=True)
class VQVAE2:
  m: VQVAE2Config
  info: DatasetInfo
  nets: VQVAE2Nets
  value_range: float

  @property
  def code_shapes(self) -> dict[str, tuple[int, int]]:
    b, t = self.m.levels
    h, w = self.info.shape[:2]
    return {'bottom': (h // 2 ** b, w // 2 ** b), 'top': (h // 2 ** (b + t), w // 2 ** (b + t))}


def build(run: RunConfig, info: DatasetInfo) -> VQVAE2:
  check(run.model, info)
  nets = VQVAE2Nets(run.model, info.shape[-1], jnp.dtype(run.train.compute_dtype))
  return VQVAE2(m=run.model, info=info, nets=nets, value_range=data_range(run.data.pixels, info))


def call(v: VQVAE2, params, method, *args):
  out = v.nets.apply({'params': params['model']}, *args, method=method)
  return jax.tree.map(lambda a: a.astype(jnp.float32), out)


def codebook(model_state, level: str):
  return model_state[level]['codebook']


def encode(v: VQVAE2, params, model_state, x):
  """Prepared images -> {'top': quantize(...), 'bottom': quantize(...)} (gdm.nn
  .vector_quantizer.quantize's dicts: z_q, codes, ...) and the pre-quantization latents."""
  h_b, z_t = call(v, params, VQVAE2Nets.encode, x)
  q_t = vq.quantize(z_t, codebook(model_state, 'top'))
  z_b = call(v, params, VQVAE2Nets.bottom_latents, h_b, q_t['z_q'])
  q_b = vq.quantize(z_b, codebook(model_state, 'bottom'))
  return {'top': q_t, 'bottom': q_b}, {'top': z_t, 'bottom': z_b}


def decode(v: VQVAE2, params, q_top, q_bottom):
  return call(v, params, VQVAE2Nets.decode, q_top, q_bottom)


def codes_of(v: VQVAE2, params, model_state, x) -> dict:
  """{'top': int [B, ht, wt], 'bottom': int [B, hb, wb]}."""
  q, _ = encode(v, params, model_state, x)
  return {level: q[level]['codes'] for level in LEVELS}


def decode_codes(v: VQVAE2, params, model_state, codes: dict):
  """Images from integer code maps {'top', 'bottom'}."""
  e = {level: jnp.asarray(codebook(model_state, level))[codes[level]] for level in LEVELS}
  return decode(v, params, e['top'], e['bottom'])


def reconstruct(v: VQVAE2, params, model_state, x):
  q, _ = encode(v, params, model_state, x)
  return decode(v, params, q['top']['z_q'], q['bottom']['z_q'])


def per_example_losses(v: VQVAE2, params, model_state, x):
  q, z = encode(v, params, model_state, x)
  x_hat = decode(v, params, q['top']['z_q'], q['bottom']['z_q'])
  recon = squared_error(x_hat, x)
  commitment = q['top']['commitment_loss'] + q['bottom']['commitment_loss']
  return q, z, x_hat, recon, recon + v.m.commitment_cost * commitment


def code_statistics(v: VQVAE2, q, weights=None) -> dict:
  out = {}
  for level in LEVELS:
    counts = vq.code_counts(q[level]['codes'], v.m.num_codes, weights)
    out[f'perplexity_{level}'] = vq.perplexity(counts)
    out[f'usage_{level}'] = vq.usage(counts)
  return out


def loss(v: VQVAE2, params, model_state, batch, key, step):
  del step
  m = v.m
  q, z, _, recon, total = per_example_losses(v, params, model_state, batch['x'])
  metrics = {'mse': recon.mean() / math.prod(v.info.shape), **code_statistics(v, q)}
  new_state = {}
  for level, k in zip(LEVELS, jax.random.split(key)):
    s = vq.ema_update(model_state[level], z[level], q[level]['codes'], m.codebook_decay,
                      m.codebook_epsilon)
    if m.dead_code_threshold > 0:
      s, metrics[f'restarted_{level}'] = vq.restart_dead_codes(
          s, z[level], k, m.codebook_decay, m.dead_code_threshold)
    new_state[level] = s
    metrics[f'commitment_{level}'] = q[level]['commitment_loss'].mean()
  return total.mean(), (metrics, new_state)


def init(v: VQVAE2, key, batch):
  k_net, k_top, k_bottom = jax.random.split(key, 3)
  params = v.nets.init(k_net, batch['x'][:1].astype(jnp.float32))['params']
  state = {level: vq.ema_init(vq.init_codebook(k, v.m.num_codes, v.m.code_dim))
           for level, k in zip(LEVELS, (k_top, k_bottom))}
  return {'model': params}, state


def evaluate(v: VQVAE2, params, model_state, batch, key):
  """Per-example values; perplexities and usages are statistics of the batch, repeated per
  example (the loop reports their example-weighted mean over batches)."""
  del key
  x = batch['x']
  q, _, x_hat, recon, total = per_example_losses(v, params, model_state, x)
  ones = jnp.ones((x.shape[0],), jnp.float32)
  stats = code_statistics(v, q, batch.get('mask'))
  return {'loss': total, 'mse': recon / math.prod(v.info.shape),
          'psnr': psnr(x_hat, x, v.value_range),
          **{k: s * ones for k, s in stats.items()},
          **{f'commitment_{level}': q[level]['commitment_loss'] for level in LEVELS}}


def sample(v: VQVAE2, params, model_state, key, num, reference):
  """Both code maps drawn entry by entry from the reference batch's code frequencies."""
  codes = codes_of(v, params, model_state, reference['x'])
  drawn = {level: vq.draw_like(k, codes[level], v.m.num_codes, num, reference.get('mask'))
           for level, k in zip(LEVELS, jax.random.split(key))}
  return decode_codes(v, params, model_state, drawn)


def visualize(v: VQVAE2, params, model_state, batch, key):
  del key
  x = batch['x'][:8]
  return {'reconstruction': jnp.stack([x, reconstruct(v, params, model_state, x)])}
