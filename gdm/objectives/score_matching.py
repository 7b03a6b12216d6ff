"""Denoising score matching for every forward process with a Gaussian kernel
q(x_t | x_0) = N(a x_0, sigma^2 I), x_t = a x_0 + sigma eps.

A network output is read in one of three parameterizations; all three give the same
(eps_hat, x0_hat) pair through x_t = a x0_hat + sigma eps_hat, and the score is
-eps_hat / sigma:
  eps  the noise (Ho et al., 2020)
  x0   the clean data
  v    (a eps - sigma x_0) / r with r = sqrt(a^2 + sigma^2) (Salimans & Ho, 2022; r = 1 for
       VP processes, and the division keeps v's scale for VE/sub-VP)

Losses are per example [B], averaged over data dimensions (DDPM's mean_flat; NCSN and
score-SDE code sum instead, a constant factor D) and reduced in float32:
  dsm_loss               ||out - target||^2 in the output's own parameterization;
                         with 'eps' it is DDPM's L_simple
  weighted_score_loss    lambda ||s_theta(x_t) - grad log q(x_t | x_0)||^2: NCSN's multi-sigma
                         loss with lambda = sigma^2 (times 1/2) and continuous-time DSM with
                         lambda = sigma(t)^2 or the likelihood weighting g(t)^2
"""
import jax
import jax.numpy as jnp

from gdm.utils.checks import check_choice

PARAMETERIZATIONS = ('eps', 'x0', 'v')


def check_parameterization(name: str):
  check_choice(name, PARAMETERIZATIONS, 'parameterization', 'model.parameterization')


def _mean_flat(x: jax.Array) -> jax.Array:
  return x.reshape(x.shape[0], -1).astype(jnp.float32).mean(axis=1)


def target(x0, noise, a, sigma, parameterization: str) -> jax.Array:
  """What a perfect network outputs for x_t = a x0 + sigma noise."""
  check_parameterization(parameterization)
  if parameterization == 'eps':
    return noise
  if parameterization == 'x0':
    return x0
  return (a * noise - sigma * x0) / jnp.sqrt(a * a + sigma * sigma)


def predictions(out, xt, a, sigma, parameterization: str) -> tuple[jax.Array, jax.Array]:
  """Network output -> (eps_hat, x0_hat)."""
  check_parameterization(parameterization)
  out, xt = out.astype(jnp.float32), xt.astype(jnp.float32)
  if parameterization == 'eps':
    return out, (xt - sigma * out) / a
  if parameterization == 'x0':
    return (xt - a * out) / sigma, out
  r = jnp.sqrt(a * a + sigma * sigma)
  r2 = r * r
  return (sigma * xt + a * r * out) / r2, (a * xt - sigma * r * out) / r2


def output_from_eps(eps, xt, a, sigma, parameterization: str) -> jax.Array:
  """The inverse of `predictions`: the network output that gives eps_hat = eps."""
  x0 = (xt - sigma * eps) / a
  return target(x0, eps, a, sigma, parameterization)


def dsm_loss(out, x0, noise, a, sigma, parameterization: str) -> jax.Array:
  """||out - target||^2 averaged over dimensions, per example."""
  t = target(x0.astype(jnp.float32), noise.astype(jnp.float32), a, sigma, parameterization)
  return _mean_flat((out.astype(jnp.float32) - t) ** 2)


def weighted_score_loss(score, noise, sigma, weight) -> jax.Array:
  """weight * ||score + noise / sigma||^2 averaged over dimensions: grad log q(x_t | x_0) =
  -noise / sigma. `weight` is one value per example [B] (or a scalar)."""
  err = score.astype(jnp.float32) + noise.astype(jnp.float32) / sigma
  return jnp.asarray(weight, jnp.float32).reshape(-1) * _mean_flat(err * err)


def ncsn_loss(score, noise, sigma) -> jax.Array:
  """Song & Ermon (2019), eq. 6: (1/2) sigma^2 ||s(x~, sigma) + (x~ - x) / sigma^2||^2."""
  return 0.5 * weighted_score_loss(score, noise, sigma, sigma.reshape(sigma.shape[0], -1)[:, 0]
                                   ** 2)
