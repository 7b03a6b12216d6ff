"""A diffusion toy model for the model tests: a config's smoke variant on eight Gaussians,
with random params (no flax initialiser to compile) and a batch of 16."""
import jax
import jax.numpy as jnp
import numpy as np

from gdm.data.source import DatasetInfo
from gdm.models import diffusion
from tests.helpers import random_like

KEY = jax.random.key(0, impl='rbg')
TOY = DatasetInfo('eight_gaussians', (2,), 'vector', num_classes=8)


def toy_model(config_module, **model):
  """(config, model, params, model_state, batch) of config_module's smoke variant."""
  config = config_module.get_config('smoke')
  config.model.update(model)
  m = diffusion.FAMILY.model(config, TOY)
  batch = {'x': jnp.asarray(np.random.default_rng(0).normal(size=(16, 2)), jnp.float32),
           'y': jnp.arange(16, dtype=jnp.int32) % 8}
  params, state = jax.eval_shape(m.init, KEY, batch)
  params = random_like(params, np.random.default_rng(1))
  state = jax.tree.map(jnp.zeros_like, state)
  return config, m, params, state, batch
