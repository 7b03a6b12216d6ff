"""A singular plain 1x1 convolution is reported by name, not left as NaN samples."""
import types

import jax
import numpy as np
import pytest

from gdm.models import flow
from gdm.train import loop
from tests.models.test_flow import IMAGES, image_config, random_model


def test_singular_1x1_conv_is_named_by_check_params_and_by_the_trainer():
  batch = {'x': np.zeros((2,) + IMAGES.shape, np.float32)}
  model, params = random_model(image_config('glow', glow=dict(lu=False)), IMAGES, batch)
  assert model.check_params is not None
  model.check_params(params)   # random W: invertible, no error
  paths = [jax.tree_util.keystr(p) for p, _ in jax.tree_util.tree_flatten_with_path(params)[0]
           if jax.tree_util.keystr(p).endswith("['kernel_1x1']")]
  assert paths
  broken = jax.tree_util.tree_map_with_path(
      lambda p, v: v * 0 if jax.tree_util.keystr(p) == paths[0] else v, params)
  with pytest.raises(ValueError, match='singular invertible 1x1 convolution') as e:
    model.check_params(broken)
  assert paths[0] in str(e.value) and '\n' not in str(e.value)
  # The trainer's stop message carries the same diagnosis.
  exp = types.SimpleNamespace(model=model)
  assert 'singular invertible 1x1' in loop._diagnosis(exp, types.SimpleNamespace(params=broken))
  assert loop._diagnosis(exp, types.SimpleNamespace(params=params)) == ''
  lu_model = flow.FAMILY.model(image_config('glow', glow=dict(lu=True)), IMAGES)
  assert lu_model.check_params is not None   # LU weights have no kernel_1x1: always passes
