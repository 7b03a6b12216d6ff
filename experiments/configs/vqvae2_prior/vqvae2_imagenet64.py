"""VQ-VAE-2's class-conditional priors over vqvae2/vqvae2_imagenet64.py's codes (Razavi et
al., 2019, sec. 3.2 and appendix A, scaled from 256x256): over the 8x8 top codes a Gated
PixelCNN of 20 layers of 256 features with causal multi-head self-attention after every
fourth, over the 16x16 bottom codes one of 20 layers conditioned on the top codes through a
conditioning stack of 8 residual blocks (no attention, as in the paper); both conditioned on
the class. Adam at 3e-4, batch 128.
  python -m experiments.vqvae2_prior --workdir=/tmp/vqvae2_imagenet64_prior \
      --config=experiments/configs/vqvae2_prior/vqvae2_imagenet64.py \
      --config.model.vqvae2_workdir=/tmp/vqvae2_imagenet64
  python -m experiments.evaluate --workdir=/tmp/vqvae2_imagenet64_prior --metrics=fid,is ...
Paper numbers (ImageNet 256x256, not 64x64): top / bottom prior NLL 3.41 / 3.45 nats per
code on validation (Table 1); FID about 31 without and about 10 with classifier-based
rejection sampling (fig. 5); from the paper, not confirmed with the search tool. Not run
here (no ImageNet on this machine).
"""
from experiments.configs import default
from experiments.configs.vqvae2 import vqvae2_imagenet64
from experiments.configs.vqvae2_prior import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'imagenet_resized/64x64'
  config.data.eval_split = 'validation'
  net = dict(features=256, num_layers=20, kernel_size=5, first_kernel_size=7, num_heads=8)
  config.model = common.model_config(
      vqvae2_workdir='/tmp/vqvae2_imagenet64', conditional=True,
      top=dict(net, attention_every=4), bottom=dict(net, cond_features=256, cond_blocks=8))
  default.set_schedule(config, num_steps=500_000, batch_size=128, log_every=1000,
                       every=50_000)
  config.train.checkpoint_every = 5000
  config.train.optimizer.learning_rate = 3e-4
  config.eval.num_examples = 10_000
  return common.apply_variant(
      config, variant, vqvae2_imagenet64.get_config('smoke').model.to_dict())
