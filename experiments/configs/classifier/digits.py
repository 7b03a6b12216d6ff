"""Domain-feature classifier for scikit-learn's digits (no download): its 64-d penultimate
activations are the features of `python -m experiments.evaluate --features=domain`
(eval/fid_domain, ...) for models trained on digits at the same image size.
  python -m experiments.classifier --workdir=/tmp/clf_digits \
      --config=experiments/configs/classifier/digits.py
Recorded accuracy on the held-out digits: benchmarks/RESULTS.md.
"""
from experiments.configs import default
from experiments.configs.classifier import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.model = common.model_config(kind='mlp', hidden=(256,), feature_dim=64)
  default.set_schedule(config, num_steps=2000, batch_size=64, log_every=200, every=1000)
  config.train.ema_decay = 0.99
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(hidden=(16,), feature_dim=8))
