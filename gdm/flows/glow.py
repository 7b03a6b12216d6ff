"""Glow's layers (Kingma & Dhariwal, 2018): actnorm and the invertible 1x1 convolution.

Both act on the last (channel) axis at every position, so they also serve vectors [B, D]
(a 1x1 convolution of a vector is a learned invertible linear map).
"""
import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg

from gdm.flows.bijector import Bijector

ACTNORM_EPS = 1e-6


def _positions(x) -> int:
  """Number of positions sharing the per-channel parameters (H*W for images, 1 for vectors)."""
  return int(np.prod(x.shape[1:-1]))


class ActNorm(Bijector):
  """y = (x + loc) * exp(log_scale) per channel. Data-dependent initialisation: on the
  first (initialising) forward call, loc and log_scale make that batch's output zero-mean and
  unit-variance per channel."""

  @nn.compact
  def __call__(self, x, inverse: bool = False):
    axes = tuple(range(x.ndim - 1))
    c = x.shape[-1]
    if inverse:   # initialised from the latent side: no data statistics, identity start
      loc = self.param('loc', nn.initializers.zeros, (c,))
      log_scale = self.param('log_scale', nn.initializers.zeros, (c,))
    else:
      loc = self.param('loc', lambda _: -jnp.mean(x, axes))
      log_scale = self.param('log_scale',
                             lambda _: -jnp.log(jnp.std(x, axes) + ACTNORM_EPS))
    ld = jnp.broadcast_to(_positions(x) * log_scale.sum(), x.shape[:1])
    if inverse:
      return x * jnp.exp(-log_scale) - loc, -ld
    return (x + loc) * jnp.exp(log_scale), ld


def random_rotation(c: int, seed: int) -> np.ndarray:
  """A random orthogonal matrix (Glow's initialisation), fixed by `seed`."""
  q, _ = np.linalg.qr(np.random.RandomState(seed).randn(c, c))
  return q.astype(np.float32)


def traced_rotation(c: int, seed: jax.Array):
  """(W0, P, sign(diag U)) of a random rotation W0 = P L U fixed by a traced integer `seed`:
  the form a scanned step can compute (no host randomness), recomputed on every call since P
  and the signs are not parameters (a few CxC factorisations, negligible)."""
  key = jax.random.fold_in(jax.random.PRNGKey(20_180_709), seed)
  q, r = jnp.linalg.qr(jax.random.normal(key, (c, c)))
  w0 = q * jnp.sign(jnp.diag(r))[None, :]     # a unique orthogonal factor
  p, _, u = jax.scipy.linalg.lu(w0)
  return w0, p, jnp.sign(jnp.diag(u))


def _apply(x, w):
  return jnp.einsum('...c,dc->...d', x, w)


class Invertible1x1Conv(Bijector):
  """y = W x at every position; logdet = positions * log|det W|. `lu=True` parametrises
  W = P L (U + diag(sign * exp(log_s))) with fixed permutation P and signs, so log|det W| =
  sum(log_s) costs O(C) and W stays invertible; `lu=False` learns W directly (slogdet)."""
  lu: bool = True
  seed: int = 0

  @nn.compact
  def __call__(self, x, inverse: bool = False, seed: jax.Array | None = None):
    """`seed`: a traced step index (scanned steps) instead of the static `self.seed`."""
    c = x.shape[-1]
    n = _positions(x)
    if seed is None:
      w0 = random_rotation(c, self.seed)
      p, l0, u0 = scipy.linalg.lu(w0)
      sign = np.sign(np.diag(u0))
      init = lambda: (np.tril(l0, -1), np.triu(u0, 1), np.log(np.abs(np.diag(u0))))  # noqa
    else:
      w0, p, sign = traced_rotation(c, seed)

      def init():
        _, l0_, u0_ = jax.scipy.linalg.lu(w0)
        return jnp.tril(l0_, -1), jnp.triu(u0_, 1), jnp.log(jnp.abs(jnp.diag(u0_)))
    if self.lu:
      lower = self.param('lower', lambda _: jnp.asarray(init()[0], jnp.float32))
      upper = self.param('upper', lambda _: jnp.asarray(init()[1], jnp.float32))
      log_s = self.param('log_s', lambda _: jnp.asarray(init()[2], jnp.float32))
      tril = jnp.tril(jnp.ones((c, c)), -1)
      l = lower * tril + jnp.eye(c)
      u = upper * tril.T + jnp.diag(jnp.asarray(sign, jnp.float32) * jnp.exp(log_s))
      w = jnp.asarray(p, jnp.float32) @ l @ u
      log_det = log_s.sum()
    else:
      w = self.param('kernel_1x1', lambda _: jnp.asarray(w0, jnp.float32))
      log_det = jnp.linalg.slogdet(w)[1]   # -inf for a singular W (see check_invertible)
    ld = jnp.broadcast_to(n * log_det, x.shape[:1])
    if inverse:
      return _apply(x, jnp.linalg.inv(w)), -ld
    return _apply(x, w), ld


def check_invertible(params, min_abs_log_det: float = -30.0) -> None:
  """One-line ValueError naming every plain 1x1 convolution whose W is singular (or so close
  that log|det W| < min_abs_log_det): its logdet is -inf and its inverse is not finite, so a
  run would otherwise only see NaN/inf samples and skipped steps."""
  bad = []
  for path, w in jax.tree_util.tree_flatten_with_path(params)[0]:
    name = jax.tree_util.keystr(path)
    if name.endswith("['kernel_1x1']"):
      sign, log_det = np.linalg.slogdet(np.asarray(w, np.float64))
      if sign == 0 or log_det < min_abs_log_det:
        bad.append(f'{name} (log|det W| = {log_det:.3g})')
  if bad:
    raise ValueError(f'singular invertible 1x1 convolution: {", ".join(bad)}; the flow is not '
                     'invertible there (use model.glow.lu=True to keep W invertible)')
