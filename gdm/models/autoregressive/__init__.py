"""Autoregressive models (NADE, MADE, PixelCNN, Gated PixelCNN, PixelCNN++, the Image
Transformer with local and Sparse Transformer attention) and a PixelCNN prior over a
VQ-VAE's code maps.

config.py    the `model` section (AutoregressiveConfig, one section per net) and its checks
transformer_config.py  the Image Transformer's section, one sub-section per attention pattern
heads.py     likelihood heads: the distribution of one element given the earlier ones
nets.py      the nets behind one grid interface, built from a dict by `model.net`
codes.py     a VQ-VAE's code space (trained and frozen, or untrained for smoke tests)
sampling.py  compiled sampling and completion loops over the generation order
steppers.py  what a sampling step runs: the whole net, or a net's row / key-value cache
family.py    the model's functions: loss, evaluation, sampling
modes.py     the launcher's extra modes (inpaint)
Here they are bound into the trainer's `Model`.
"""
from gdm.models.binding import one_player_model
from gdm.models.autoregressive import family, modes
from gdm.models.autoregressive.config import AutoregressiveConfig
from gdm.train.config import RunConfig
from gdm.train.model import Family, Model
from gdm.train.optim import make_optimizer


def make(run: RunConfig, info) -> Model:
  ar = family.build(run, info)
  optimizer = make_optimizer(run.train.optimizer, run.train.num_steps)
  return one_player_model(family, ar, optimizer, modes.MODES, captions=modes.captions(ar))


FAMILY = Family('autoregressive', AutoregressiveConfig, make)
