"""beta-TCVAE on dSprites (tfds `dsprites`: 737,280 binary 64x64 sprites, train split only;
downloads on first use), the setting of Chen, Li, Grosse & Duvenaud (2018), "Isolating
Sources of Disentanglement in Variational Autoencoders" (NeurIPS), as their code runs it
(github.com/rtqichen/beta-tcvae: `vae_quant.py --dataset shapes --beta 6 --tcvae`):
MLP encoder 4096-1200-1200, 10 latents, Bernoulli decoder, weight beta=6 on the total
correlation (alpha = gamma = 1), minibatch-weighted sampling with N = 737,280 (the dataset's
size), batch 2048, Adam at 1e-3, 50 epochs (18,000 steps).
  python -m experiments.vae --workdir=/tmp/tcvae_dsprites \
      --config=experiments/configs/vae/beta_tcvae_dsprites.py
  --config.model.beta_tcvae.sampling=mss for minibatch stratified sampling.
Differences from their code: the decoder mirrors the encoder (1200-1200, relu; theirs is
1200-1200-1200 tanh), and the evaluation set is 10,000 training images (dSprites has no
other split). Logged: train mi, tc and dim_kl (with mws they carry constant offsets of
about +log N, +9 log N and -10 log N nats, see gdm/objectives/elbo_variants/beta_tcvae.py).
What the paper reports: disentanglement as its mutual information gap (MIG) on dSprites,
against beta, with beta-TCVAE above beta-VAE as beta grows. MIG needs the ground-truth
factors and is not computed here; no paper number is quoted, and none is measured yet.
"""
from experiments.configs import default
from experiments.configs.vae import common


def get_config(variant: str = ''):
  config = default.get_config()
  config.data.name = 'dsprites'
  config.data.binarize = 'static'     # pixels are 0/255: this gives exactly {0, 1}
  config.data.eval_split = 'train'
  config.model = common.model_config(kind='mlp', hidden=(1200, 1200), latent_dim=10,
                                     decoder='bernoulli', objective='beta_tcvae',
                                     beta_tcvae=dict(beta=6.0), eval_k=100, eval_chunk=50)
  default.set_schedule(config, num_steps=18_000, batch_size=2048, log_every=200,
                       every=3000)
  config.train.optimizer.learning_rate = 1e-3
  config.eval.num_examples = 10_000
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
