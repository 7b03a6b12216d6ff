"""Checks of a diffusion config (one-line ValueErrors, before anything is built)."""
import numpy as np

from gdm.diffusion import samplers, schedules
from gdm.diffusion.guidance import check_guidance
from gdm.diffusion.sde import SDE
from gdm.nn.mlp import activation
from gdm.nn.unet import check_unet_size
from gdm.objectives.score_matching import check_parameterization
from gdm.utils.checks import check_choice

PROCESSES = ('ddpm', 'ncsn', 'vp', 'subvp', 've')
NETS = ('mlp', 'unet')
SDE_SAMPLERS = ('euler_maruyama', 'pc', 'ode')
SAMPLERS = {'ddpm': ('ancestral', 'ddim'), 'ncsn': ('langevin',), 'vp': SDE_SAMPLERS,
            'subvp': SDE_SAMPLERS, 've': SDE_SAMPLERS}
DDPM_LOSSES = ('simple', 'hybrid', 'vlb')
WEIGHTINGS = ('variance', 'likelihood')
MASKS = ('center', 'left', 'right', 'top', 'bottom')
INPAINT_METHODS = ('replace', 'repaint')


def make_sde(m) -> SDE:
  return SDE(m.process, m.beta_min, m.beta_max, m.sigma_min, m.sigma_max)


def inpaint_mask(m, info) -> np.ndarray:
  """1 where the data is known, 0 where it is filled in; shaped like one example."""
  name = m.inpaint_mask
  shape = tuple(info.shape)
  if name.endswith('.npy'):
    mask = np.load(name)
    if mask.shape not in (shape, shape[:-1]):
      raise ValueError(f'model.inpaint_mask {name!r} has shape {mask.shape}; the data needs '
                       f'{shape} or {shape[:-1]}')
    if not np.all((mask == 0) | (mask == 1)):
      raise ValueError(f'model.inpaint_mask {name!r} must hold only 0 (fill in) and 1 (known)')
    return np.broadcast_to(mask.reshape(shape[:-1] + (-1,)), shape).astype(np.float32)
  check_choice(name, MASKS, 'inpainting mask', 'model.inpaint_mask (or a .npy file)')
  mask = np.ones(shape, np.float32)
  if not info.is_image:
    if name in ('center', 'top', 'bottom'):
      raise ValueError(f"model.inpaint_mask={name!r} is for images; vectors take 'left' "
                       "(first half of the coordinates missing) or 'right' (the rest)")
    half = max(shape[0] // 2, 1)
    if name == 'left':
      mask[:half] = 0
    else:
      mask[half:] = 0
    return mask
  h, w = shape[:2]
  region = {'center': (slice(h // 4, h - h // 4), slice(w // 4, w - w // 4)),
            'left': (slice(None), slice(0, w // 2)), 'right': (slice(None), slice(w // 2, None)),
            'top': (slice(0, h // 2), slice(None)), 'bottom': (slice(h // 2, None), slice(None))}
  mask[region[name]] = 0
  return mask


def check_config(config, info):
  m = config.model
  check_choice(m.process, PROCESSES, 'diffusion process', 'model.process')
  check_choice(m.net, NETS, 'score network', 'model.net')
  check_parameterization(m.parameterization)
  check_choice(m.sampler, SAMPLERS[m.process], f'sampler for process {m.process!r}',
               'model.sampler')
  if m.process == 'ddpm':
    schedules.make_betas(m.schedule, m.num_timesteps, m.beta_start, m.beta_end)
    check_choice(m.loss, DDPM_LOSSES, 'DDPM loss', 'model.loss')
    check_choice(m.variance, schedules.VARIANCES, 'reverse variance', 'model.variance')
    if m.variance == 'learned_range' and m.loss == 'simple':
      raise ValueError("model.variance='learned_range' is trained only by the bound: use "
                       "model.loss='hybrid' or 'vlb'")
    if m.importance_sampling and m.loss == 'simple':
      raise ValueError("model.importance_sampling samples t for the bound: use "
                       "model.loss='hybrid' or 'vlb'")
    if m.sampler == 'ancestral' and m.sample_steps != m.num_timesteps:
      raise ValueError(f'model.sample_steps={m.sample_steps}: the ancestral sampler runs all '
                       f'model.num_timesteps={m.num_timesteps} steps (use sampler=ddim, '
                       'ddim_eta=1 for a shorter stochastic chain)')
    samplers.check_steps(m.sample_steps, m.num_timesteps, m.sampler)
    if not 0 <= m.ddim_eta <= 1:
      raise ValueError(f'model.ddim_eta={m.ddim_eta} must be in [0, 1]')
    check_choice(m.inpaint_method, INPAINT_METHODS, 'inpainting method', 'model.inpaint_method')
    if m.repaint_resample < 1:
      raise ValueError(f'model.repaint_resample={m.repaint_resample} must be >= 1')
    inpaint_mask(m, info)
    if not m.denoise_sigma > 0:
      raise ValueError(f'model.denoise_sigma={m.denoise_sigma} must be > 0')
  elif m.process == 'ncsn':
    if not 0 < m.sigma_min < m.sigma_max:
      raise ValueError(f'model.sigma_min={m.sigma_min}, sigma_max={m.sigma_max}: need '
                       '0 < sigma_min < sigma_max')
    if m.num_sigmas < 2 or m.langevin_steps < 1 or not m.langevin_lr > 0:
      raise ValueError(f'model.num_sigmas={m.num_sigmas} must be >= 2, langevin_steps='
                       f'{m.langevin_steps} >= 1 and langevin_lr={m.langevin_lr} > 0')
  else:
    make_sde(m)
    check_choice(m.weighting, WEIGHTINGS, 'DSM weighting', 'model.weighting')
    check_choice(m.trace, samplers.TRACES, 'trace estimator', 'model.trace')
    if m.trace == 'exact' and np.prod(info.shape) > 64:
      raise ValueError(f"model.trace='exact' takes one jvp per dimension; {info.name!r} has "
                       f"{int(np.prod(info.shape))}: use model.trace='hutchinson'")
    if m.sample_steps < 2 or m.eval_ode_steps < 1:
      raise ValueError(f'model.sample_steps={m.sample_steps} must be >= 2 and eval_ode_steps='
                       f'{m.eval_ode_steps} >= 1 for an SDE')
    if not m.snr > 0 or m.corrector_steps < 1:
      raise ValueError(f'model.snr={m.snr} must be > 0 and corrector_steps='
                       f'{m.corrector_steps} >= 1')
  if m.net == 'mlp':
    activation(m.act)
    if info.is_image:
      raise ValueError(f"model.net='mlp' is for vector data; {info.name!r} holds images (use "
                       "model.net='unet')")
  else:
    if not info.is_image or info.shape[0] != info.shape[1]:
      raise ValueError(f"model.net='unet' needs square images; {info.name!r} has shape "
                       f'{tuple(info.shape)}')
    check_unet_size(info.shape[0], m.channel_mult)
  if m.class_conditional and info.num_classes <= 0:
    raise ValueError(f'model.class_conditional=True needs a labelled dataset; {info.name!r} has '
                     'no labels')
  check_guidance(m.guidance_scale, info.num_classes if m.class_conditional else 0)
  if not 0 <= m.label_dropout < 1:
    raise ValueError(f'model.label_dropout={m.label_dropout} must be in [0, 1)')
  if m.low_res_size:
    size = info.shape[0]
    if not info.is_image or m.low_res_size >= size or size % m.low_res_size:
      raise ValueError(f'model.low_res_size={m.low_res_size} (super-resolution) must divide the '
                       f'image size and be smaller; data {info.name!r} has shape '
                       f'{tuple(info.shape)}')
