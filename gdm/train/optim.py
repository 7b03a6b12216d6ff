"""Optimizers and learning-rate schedules from an `optimizer` config section."""
import optax

from gdm.utils.schema import choice, require, section

OPTIMIZERS = ('adam', 'adamw', 'sgd')
SCHEDULES = ('constant', 'cosine', 'linear')


@section
class OptimizerConfig:
  name: str = 'adam'            # adam | adamw | sgd
  learning_rate: float = 1e-3
  b1: float = 0.9
  b2: float = 0.999
  eps: float = 1e-8
  weight_decay: float = 0.0     # adamw only
  momentum: float = 0.0         # sgd only
  schedule: str = 'constant'    # constant | cosine | linear (after warmup)
  warmup_steps: int = 0
  end_factor: float = 0.0       # final lr = learning_rate * end_factor (cosine/linear)
  clip_norm: float = 0.0        # global-norm gradient clipping; 0 = off

  def __post_init__(self):
    choice(self.name, OPTIMIZERS, 'name', 'optimizer')
    choice(self.schedule, SCHEDULES, 'schedule', 'schedule')
    require(self.learning_rate > 0, 'learning_rate', self.learning_rate, 'must be > 0')
    for key in ('warmup_steps', 'clip_norm', 'weight_decay', 'momentum', 'end_factor'):
      require(getattr(self, key) >= 0, key, getattr(self, key), 'must be >= 0')


def make_schedule(opt: OptimizerConfig, num_steps: int) -> optax.Schedule:
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


def make_optimizer(opt: OptimizerConfig, num_steps: int) -> optax.GradientTransformation:
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
