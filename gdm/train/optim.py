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
  hold_steps: int = 0           # cosine/linear: steps at full lr (after warmup) before decay
  end_factor: float = 0.0       # final lr = learning_rate * end_factor (cosine/linear)
  clip_norm: float = 0.0        # global-norm gradient clipping; 0 = off

  def __post_init__(self):
    choice(self.name, OPTIMIZERS, 'name', 'optimizer')
    choice(self.schedule, SCHEDULES, 'schedule', 'schedule')
    require(self.learning_rate > 0, 'learning_rate', self.learning_rate, 'must be > 0')
    for key in ('warmup_steps', 'hold_steps', 'clip_norm', 'weight_decay', 'momentum',
                'end_factor'):
      require(getattr(self, key) >= 0, key, getattr(self, key), 'must be >= 0')


def make_schedule(opt: OptimizerConfig, num_steps: int) -> optax.Schedule:
  """Linear warmup from 0, then constant, or `hold_steps` at lr and a cosine or linear decay
  to lr * end_factor over the remaining steps (CycleGAN's: half the run at lr, then linearly
  to 0, Zhu et al., 2017, Sec. 7.1)."""
  lr, warmup = opt.learning_rate, opt.warmup_steps
  hold = opt.hold_steps if opt.schedule != 'constant' else 0
  decay_steps = max(num_steps - warmup - hold, 1)
  if opt.schedule == 'constant':
    main = optax.constant_schedule(lr)
  elif opt.schedule == 'cosine':
    main = optax.cosine_decay_schedule(lr, decay_steps, alpha=opt.end_factor)
  else:
    main = optax.linear_schedule(lr, lr * opt.end_factor, decay_steps)
  parts, boundaries = [main], []
  if hold:
    parts, boundaries = [optax.constant_schedule(lr), main], [hold]
  if warmup:
    parts = [optax.linear_schedule(0.0, lr, warmup)] + parts
    boundaries = [warmup] + [warmup + b for b in boundaries]
  return parts[0] if len(parts) == 1 else optax.join_schedules(parts, boundaries)


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
