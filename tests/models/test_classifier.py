"""Domain-feature classifier: the features mode's outputs (what --features=domain reads), its
loss against a hand computation, and bad input as one-line errors naming the key."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.classifier import common, digits
from gdm.data.source import DatasetInfo
from gdm.models import classifier
from tests.helpers import random_like

KEY = jax.random.key(0, impl='rbg')
DIGITS = DatasetInfo('digits', (8, 8, 1), 'image', num_classes=10)


def config(**model):
  c = digits.get_config('smoke')
  c.model.update(model)
  return c


@pytest.mark.parametrize('model', [dict(), dict(kind='conv', channels=(4, 8))])
def test_features_mode_and_loss(model):
  clf = classifier.FAMILY.model(config(**model), DIGITS)
  rng = np.random.default_rng(0)
  batch = {'x': jnp.asarray(rng.uniform(-1, 1, (6, 8, 8, 1)), jnp.float32),
           'y': jnp.asarray(np.arange(6) % 10, jnp.int32)}
  params = random_like(jax.eval_shape(clf.init, KEY, batch)[0], rng)
  out = jax.jit(clf.modes['features'])(params, {}, batch, KEY)
  assert set(out) == {'features', 'logits', 'by_class'}
  assert out['features'].shape == (6, 8) and out['logits'].shape == (6, 10)
  assert out['by_class'].shape == (10, 6, 8, 8, 1)      # cols capped by the batch
  predicted = np.asarray(out['logits']).argmax(-1)
  for k in range(10):                           # row k: the inputs predicted as k, in order
    hits = np.asarray(batch['x'])[predicted == k]
    np.testing.assert_array_equal(out['by_class'][k, :len(hits)], hits)
    assert (np.asarray(out['by_class'][k, len(hits):]) == float(batch['x'].min())).all()
  head = params['model']['head']
  np.testing.assert_allclose(out['logits'], out['features'] @ head['kernel'] + head['bias'],
                             rtol=1e-5, atol=1e-6)
  loss, (metrics, _) = jax.jit(clf.players[0].loss_fn)(params, {}, batch, KEY, 0)
  logp = jax.nn.log_softmax(out['logits'])
  assert float(loss) == pytest.approx(-float(logp[np.arange(6), batch['y']].mean()), rel=1e-5)
  assert float(metrics['accuracy']) == float((out['logits'].argmax(-1) == batch['y']).mean())


@pytest.mark.parametrize('model, info, message', [
    (dict(kind='rnn'), DIGITS, "unknown classifier kind 'rnn' in model.kind"),
    (dict(feature_dim=0), DIGITS, 'model.feature_dim=0 must be >= 1'),
    (dict(act='swish'), DIGITS, "unknown activation 'swish' in model.act"),
    (dict(feature_dims=8), DIGITS, "'model.feature_dims'; did you mean model.feature_dim?"),
    (dict(), DatasetInfo('moons', (2,), 'vector'), "needs a labelled dataset; 'moons' has 0"),
    (dict(kind='conv'), DatasetInfo('blobs', (2,), 'vector', num_classes=3),
     "model.kind='conv' needs an image dataset; 'blobs'"),
])
def test_bad_input(model, info, message):
  with pytest.raises(ValueError, match=message) as e:
    classifier.FAMILY.model(config(**model), info)
  assert '\n' not in str(e.value)
  with pytest.raises(ValueError, match="'model.hiden'; did you mean model.hidden?"):
    common.model_config(hiden=(8,))                  # caught in the config file itself
