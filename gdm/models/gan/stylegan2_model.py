"""StyleGAN2's players and Model: the discriminator and the generator, each with a lazy
regulariser that trains the same params every k steps (Player.params) with the same
optimizer, whose Adam is adjusted by c = k / (k + 1) (gdm.objectives.adversarial.lazy). A
player without a regulariser (model.regularizer='none', model.stylegan2.pl_weight=0) keeps
its optimizer as configured. Metrics of a lazy player are logged as the trainer logs an idle
player: zeros on the steps it skips, so their means over a logging window are 1/k of the
values on the steps it runs (its loss, weighted by k, averages to the per-step term)."""
import dataclasses
import functools
import math

from gdm.models.binding import bind_model
from gdm.models.gan import stylegan2_family as family
from gdm.models.gan import stylegan2_modes
from gdm.objectives.adversarial import lazy
from gdm.train.config import RunConfig
from gdm.train.model import Model
from gdm.train.optim import OptimizerConfig, make_optimizer
from gdm.train.players import Player


def lazy_optimizer_config(opt: OptimizerConfig, interval: int) -> OptimizerConfig:
  """The learning rate and betas adjusted for a regulariser every `interval` steps (SGD
  reads the learning rate only)."""
  lr, b1, b2 = lazy.adjusted_adam(opt.learning_rate, opt.b1, opt.b2, interval)
  return dataclasses.replace(opt, learning_rate=lr, b1=b1, b2=b2)


def _players(name: str, loss, opt: OptimizerConfig, num_steps: int, steps: int = 1,
             reg_name: str = '', reg_loss=None, interval: int = 1) -> list[Player]:
  """The main player (`steps` updates per train step) and, with reg_loss, its lazy
  regulariser sharing one optimizer, whose schedule counts the regulariser's updates too."""
  updates = num_steps * steps
  if reg_loss is None:
    return [Player(name, loss, make_optimizer(opt, updates), steps=steps)]
  tx = make_optimizer(lazy_optimizer_config(opt, interval),
                      updates + math.ceil(num_steps / interval))
  return [Player(name, loss, tx, steps=steps),
          Player(reg_name, reg_loss, tx, params=name,
                 active=functools.partial(lazy.due, interval))]


def make(run: RunConfig, info) -> Model:
  sg = family.build(run, info)
  m, s, n = run.model, sg.s, run.train.num_steps
  bind = functools.partial
  d_reg = bind(family.discriminator_regularizer_loss, sg) if sg.regularizer else None
  g_reg = bind(family.path_length_loss, sg) if s.pl_weight > 0 else None
  players = (_players('discriminator', bind(family.discriminator_loss, sg), m.d_optimizer, n,
                      m.n_critic, 'discriminator_reg', d_reg, s.d_reg_every)
             + _players('generator', bind(family.generator_loss, sg), run.train.optimizer, n,
                        1, 'generator_pl', g_reg, s.pl_every))
  return bind_model(family, sg, players, stylegan2_modes.MODES)
