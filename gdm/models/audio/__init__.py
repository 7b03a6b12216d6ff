"""Audio models: WaveNet (van den Oord et al., 2016) over 8-bit mu-law audio, with fast
generation by per-layer queues (Paine et al., 2016).

config.py    the `model` section (AudioConfig, with `model.wavenet.*`) and its checks
nets.py      the WaveNet built from its section; the likelihood heads over mu-law levels
sampling.py  the fast (queue) and naive (recomputing) samplers
family.py    the model's functions: loss, evaluation, sampling
modes.py     the launcher's extra modes (continue)
Here they are bound into the trainer's `Model`.
"""
from gdm.models.audio import family, modes
from gdm.models.audio.config import AudioConfig
from gdm.models.binding import one_player_model
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer


def make(run: RunConfig, info) -> Model:
  a = family.build(run, info)
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  return one_player_model(family, a, optimizer, modes.MODES)


FAMILY = Family('audio', AudioConfig, make)
