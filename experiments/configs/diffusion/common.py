"""The diffusion model section shared by every diffusion baseline."""
import ml_collections


def model_config(**overrides) -> ml_collections.ConfigDict:
  model = ml_collections.ConfigDict(dict(
      process='ddpm',           # ddpm | ncsn | vp | subvp | ve
      net='mlp',                # mlp (vectors) | unet (images)
      parameterization='eps',   # eps | x0 | v
      # mlp
      hidden=(256, 256, 256),
      act='silu',
      # unet (DDPM's CIFAR-10 network)
      channels=128,
      channel_mult=(1, 2, 2, 2),
      num_res_blocks=2,
      attn_resolutions=(16,),
      dropout=0.1,
      # ddpm
      schedule='linear',        # linear | cosine
      num_timesteps=1000,
      beta_start=1e-4,
      beta_end=0.02,
      loss='simple',            # simple (L_simple) | hybrid (+ bound, iDDPM) | vlb
      variance='fixed_large',   # fixed_large | fixed_small | learned_range
      importance_sampling=False,  # t ~ p(t) for the bound (hybrid / vlb)
      # ncsn (geometric sigmas) and ve
      sigma_min=0.01,
      sigma_max=50.0,
      num_sigmas=10,
      langevin_steps=100,       # per sigma
      langevin_lr=2e-5,         # step size at the smallest sigma
      # vp / subvp
      beta_min=0.1,
      beta_max=20.0,
      weighting='variance',     # variance (sigma(t)^2) | likelihood (g(t)^2)
      # sampling (--mode=sample, sample grids, experiments.evaluate)
      sampler='ancestral',      # ddpm: ancestral | ddim; ncsn: langevin;
                                # sde: euler_maruyama | pc | ode
      sample_steps=1000,        # ddpm: <= num_timesteps (ancestral: all); sde: steps
      ddim_eta=0.0,
      snr=0.16,                 # pc: Langevin corrector's signal-to-noise ratio
      corrector_steps=1,
      # evaluation
      eval_nll=True,            # ddpm: full bound (T network calls); sde: ODE likelihood
      eval_ode_steps=100,       # RK4 steps of the ODE likelihood
      trace='hutchinson',       # hutchinson | exact (low dimensions)
      # conditioning
      class_conditional=False,
      label_dropout=0.1,        # classifier-free guidance: p(label -> null) in training
      guidance_scale=0.0,       # w: eps = (1 + w) eps(x, y) - w eps(x); 0 = plain conditional
      low_res_size=0,           # > 0: super-resolution from images pooled to this size
      # applications (ddpm)
      inpaint_mask='center',    # center | left | right | top | bottom | PATH.npy (1 = known)
      inpaint_method='replace',  # replace | repaint
      repaint_resample=10,
      denoise_sigma=0.2,        # --mode=denoise: noise std added to the data (data units)
  ))
  model.update(overrides)
  return model


# The tiny variant: a few diffusion steps, a narrow network.
SMOKE = dict(hidden=(16, 16), channels=8, channel_mult=(1, 2), num_res_blocks=1,
             attn_resolutions=(4,), num_timesteps=4, sample_steps=4, num_sigmas=3,
             langevin_steps=2, eval_ode_steps=2, repaint_resample=2)


def smoke(model: ml_collections.ConfigDict) -> dict:
  """SMOKE, keeping a DDIM config's steps below T."""
  out = dict(SMOKE)
  if model.process == 'ddpm' and model.sampler == 'ddim':
    out['sample_steps'] = 2
  return out


def apply_image_variant(config: ml_collections.ConfigDict, variant: str,
                        two_levels: bool = False):
  """default.apply_variant, and for the smoke run 8x8 images (super-resolution from 4x4) and
  a one-level UNet: compiling UNet programs dominates the smoke runs' time, so only
  ddpm_cifar10's smoke run (two_levels) takes the down/upsampling path."""
  from experiments.configs import default
  default.apply_variant(config, variant, smoke=smoke(config.model))
  if variant == 'smoke':
    if not two_levels:
      config.model.channel_mult = (1,)
    config.data.image_size = 8
    if config.model.low_res_size:
      config.model.low_res_size = 4
    # The image bound / ODE likelihood are exercised by ddpm_cifar10 / vpsde_cifar10 alone:
    # every compile of a UNet program costs seconds of test time.
    config.model.eval_nll = config.model.eval_nll and config.data.name == 'cifar10'
  return config


def image_training(config: ml_collections.ConfigDict, num_steps: int, batch_size: int = 128,
                   lr: float = 2e-4, warmup: int = 5000) -> ml_collections.ConfigDict:
  """Ho et al.'s recipe: Adam at lr with a linear warmup, gradients clipped at norm 1, EMA
  0.9999."""
  from experiments.configs import default
  default.set_schedule(config, num_steps=num_steps, batch_size=batch_size, log_every=1000,
                       every=50_000)
  opt = config.train.optimizer
  opt.learning_rate, opt.warmup_steps, opt.clip_norm = lr, warmup, 1.0
  config.train.ema_decay = 0.9999
  config.sample.num_samples = 64
  return config
