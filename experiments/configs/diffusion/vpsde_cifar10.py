"""VP SDE on CIFAR-10 (Song et al., 2021, "DDPM cont. (VP)"): the DDPM UNet trained with
continuous-time DSM (sigma(t)^2 weighting, beta from 0.1 to 20), Adam lr 2e-4, 5000 warmup
steps, clipping 1, EMA 0.9999, batch 128, 1.3M steps; samples and likelihoods from the
probability-flow ODE (RK4 here, RK45 in the paper), on uniformly dequantized data so eval/bpd
is the bits/dim bound of the 8-bit data (Hutchinson trace, one probe per image).
  python -m experiments.diffusion --workdir=/tmp/vpsde_cifar10 \
      --config=experiments/configs/diffusion/vpsde_cifar10.py
  python -m experiments.diffusion --workdir=/tmp/vpsde_cifar10 --mode=sample \
      --config=experiments/configs/diffusion/vpsde_cifar10.py --config.model.sampler=pc
Paper (Song et al., 2021, Table 2, "DDPM cont. (VP)", as read here): NLL 3.16 bits/dim,
FID 3.69 (ODE sampler). Not yet measured here.
"""
from experiments.configs import default
from experiments.configs.diffusion import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'cifar10'
  config.data.random_flip = True
  config.data.dequantize = True
  config.model = common.model_config(process='vp', net='unet', sampler='ode',
                                     sample_steps=200, sde=dict(eval_ode_steps=100))
  common.image_training(config, num_steps=1_300_000)
  config.eval.num_examples, config.eval.batch_size = 1000, 100
  return common.apply_image_variant(config, variant)
