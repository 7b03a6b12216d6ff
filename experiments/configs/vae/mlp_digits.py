"""MLP VAE on scikit-learn's 8x8 digits, statically binarized (no download).

The default job of `python -m experiments.vae`; a minute or two on a laptop CPU.
  python -m experiments.vae --workdir=/tmp/vae_digits
  python -m experiments.vae --workdir=/tmp/vae_digits --mode=impute   (also interpolate,
      reconstruct, anomaly)
eval/nll is the IWAE estimate (k=1000) in nats per 64-pixel image, eval/bpd in bits per
binary pixel. No paper number; not yet measured here.
"""
from experiments.configs import default
from experiments.configs.vae import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.binarize = 'static'
  config.model = common.model_config(kind='mlp', hidden=(128, 64), latent_dim=8,
                                     decoder='bernoulli', eval_k=1000, eval_chunk=250)
  default.set_schedule(config, num_steps=5000, batch_size=64, log_every=250,
                       every=2500)
  config.train.ema_decay = 0.99   # a short run: a 0.999 average would lag ~1000 steps
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
