"""What every `python -m experiments.compare` config shares (experiments/configs/<family>/
compare_digits.py): scikit-learn's digits at their native 8x8 (1,500 train / 297 test, the
fixed split of gdm.data.digits), the whole test split evaluated, and a schedule that the
compare replaces with one fitted to its wall-clock budget. Each family keeps the pixel
preprocessing its likelihood needs (data.scale, data.dequantize)."""
from experiments.configs import default


def setup(config, *, num_steps: int, batch_size: int = 64, **data):
  """The shared data, evaluation and sampling settings; `data` overrides config.data."""
  config.data.name = 'digits'
  config.data.image_size = 0          # native 8x8: the size the domain classifier takes
  config.data.update(data)
  default.set_schedule(config, num_steps=num_steps, batch_size=batch_size,
                       log_every=max(num_steps // 40, 1), every=num_steps // 2)
  config.train.ema_decay = 0.99       # short runs: a 0.999 average would lag ~1000 steps
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  config.sample.num_samples = 64
  return config
