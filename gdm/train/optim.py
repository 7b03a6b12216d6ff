"""Optimizers and learning-rate schedules from a config section."""
import ml_collections
import optax

from gdm.utils.checks import check_choice

OPTIMIZERS = ('adam', 'adamw', 'sgd')
SCHEDULES = ('constant', 'cosine', 'linear')


def check_optimizer_config(opt: ml_collections.ConfigDict, where: str = 'train.optimizer'):
  """One-line errors for names and values, raised before anything is built."""
  check_choice(opt.name, OPTIMIZERS, 'optimizer', f'{where}.name')
  check_choice(opt.schedule, SCHEDULES, 'schedule', f'{where}.schedule')
  if not opt.learning_rate > 0:
    raise ValueError(f'{where}.learning_rate={opt.learning_rate} must be > 0')
  for key in ('warmup_steps', 'clip_norm', 'weight_decay', 'momentum', 'end_factor'):
    if opt[key] < 0:
      raise ValueError(f'{where}.{key}={opt[key]} must be >= 0')


def make_schedule(opt: ml_collections.ConfigDict, num_steps: int) -> optax.Schedule:
  """Linear warmup from 0, then constant, cosine or linear decay to lr * end_factor."""
  lr, warmup = opt.learning_rate, opt.warmup_steps
  decay_steps = max(num_steps - warmup, 1)
  if opt.schedule == 'constant':
    main = optax.constant_schedule(lr)
  elif opt.schedule == 'cosine':
    main = optax.cosine_decay_schedule(lr, decay_steps, alpha=opt.end_factor)
  else:
    main = optax.linear_schedule(lr, lr * opt.end_factor, decay_steps)
  if warmup == 0:
    return main
  return optax.join_schedules(
      [optax.linear_schedule(0.0, lr, warmup), main], boundaries=[warmup])


def make_optimizer(opt: ml_collections.ConfigDict, num_steps: int,
                   where: str = 'train.optimizer') -> optax.GradientTransformation:
  check_optimizer_config(opt, where)
  schedule = make_schedule(opt, num_steps)
  if opt.name == 'adam':
    tx = optax.adam(schedule, b1=opt.b1, b2=opt.b2, eps=opt.eps)
  elif opt.name == 'adamw':
    tx = optax.adamw(schedule, b1=opt.b1, b2=opt.b2, eps=opt.eps,
                     weight_decay=opt.weight_decay)
  else:
    tx = optax.sgd(schedule, momentum=opt.momentum or None)
  if opt.clip_norm > 0:
    tx = optax.chain(optax.clip_by_global_norm(opt.clip_norm), tx)
  return tx
