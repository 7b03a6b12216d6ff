"""The EDM process inside the diffusion family: the model's loss is EDM's objective on the
family's key splits, and sampling, evaluation, pictures and guidance run (no likelihood, no
inpaint / denoise modes)."""
import jax
import jax.numpy as jnp
import numpy as np

from experiments.configs.diffusion import edm_toy
from gdm.diffusion.processes.edm import loss_weight, preconditioning
from gdm.models.diffusion.config import DiffusionConfig
from gdm.models.diffusion.nets import build_net
from gdm.utils import schema
from tests.models import diffusion_toy

KEY = diffusion_toy.KEY


def toy_model(**model):
  return diffusion_toy.toy_model(edm_toy, **model)


def test_edm_loss_is_the_objective():
  config, m, params, _, batch = toy_model()
  loss, (metrics, state) = jax.jit(m.players[0].loss_fn)(params, {}, batch, KEY, 0)
  assert metrics == {} and state == {}
  e = config.model.edm
  net = build_net(schema.parse(DiffusionConfig, config.model), 2, 0, jnp.float32)
  k_t, k_noise, _, _ = jax.random.split(KEY, 4)
  sigma = jnp.exp(e.p_mean + e.p_std * jax.random.normal(k_t, (16,)))
  x0 = batch['x']
  x = x0 + sigma[:, None] * jax.random.normal(k_noise, (16, 2))
  c_skip, c_out, c_in, c_noise = preconditioning(sigma[:, None], e.sigma_data)
  out = net.apply({'params': params['model']}, c_in * x, c_noise[:, 0])
  denoised = c_skip * x + c_out * out
  expected = (loss_weight(sigma, e.sigma_data) * ((denoised - x0) ** 2).mean(1)).mean()
  np.testing.assert_allclose(float(loss), float(expected), rtol=1e-5)


def test_edm_samples_evaluates_and_draws():
  _, m, params, _, batch = toy_model()
  assert m.modes == {}
  x = jax.jit(m.sample, static_argnums=3)(params, {}, KEY, 8, batch)
  assert x.shape == (8, 2) and bool(jnp.all(jnp.isfinite(x)))
  assert set(jax.jit(m.evaluate)(params, {}, batch, KEY)) == {'loss'}
  assert jax.jit(m.visualize)(params, {}, batch, KEY)['denoised'].shape == (16, 2)
  # Guidance mixes the preconditioned network's outputs like any other process's.
  _, m, params, _, batch = toy_model(class_conditional=True, guidance_scale=1.0, label_dropout=0.1)
  x = jax.jit(m.sample, static_argnums=3)(params, {}, KEY, 8, batch)
  assert x.shape == (8, 2) and bool(jnp.all(jnp.isfinite(x)))
