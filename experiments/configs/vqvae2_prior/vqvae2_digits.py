"""VQ-VAE-2's two priors over the codes of vqvae2/vqvae2_digits.py (Razavi et al., 2019,
sec. 3.2): a Gated PixelCNN with causal self-attention over the 2x2 top codes and one over
the 4x4 bottom codes conditioned on all the top codes (a conditioning stack); sampling runs
top prior, bottom prior, decoder. Train the codec first:
  python -m experiments.vqvae2 --workdir=/tmp/vqvae2_digits
  python -m experiments.vqvae2_prior --workdir=/tmp/vqvae2_digits_prior \
      --config=experiments/configs/vqvae2_prior/vqvae2_digits.py \
      --config.model.vqvae2_workdir=/tmp/vqvae2_digits
  python -m experiments.vqvae2_prior --workdir=/tmp/vqvae2_digits_prior --mode=sample \
      --config=experiments/configs/vqvae2_prior/vqvae2_digits.py \
      --config.model.vqvae2_workdir=/tmp/vqvae2_digits
eval/nll_top and eval/nll_bottom are nats per code map, eval/bits_per_code per code over
both maps (log2 64 = 6 for uniform codes). No paper number (the paper has no digits
experiment). The smoke variant uses an untrained codec with the model section of
vqvae2/vqvae2_digits.py:smoke (model.untrained_vqvae2), so the suite needs no codec run.
"""
from experiments.configs import default
from experiments.configs.vqvae2 import vqvae2_digits
from experiments.configs.vqvae2_prior import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'digits'
  config.data.image_size = 16
  net = dict(features=32, num_layers=3, kernel_size=3, first_kernel_size=3)
  config.model = common.model_config(
      vqvae2_workdir='/tmp/vqvae2_digits', top=dict(net, attention_every=1, num_heads=2),
      bottom=dict(net, cond_features=32, cond_blocks=1))
  default.set_schedule(config, num_steps=1000, batch_size=64, log_every=100, every=500)
  config.train.ema_decay = 0.99
  config.eval.batch_size = 64
  config.eval.num_examples = 0
  return common.apply_variant(config, variant, vqvae2_digits.get_config('smoke').model.to_dict())
