"""The diffusion family's network: the toy MLP (vectors) or the DDPM UNet (images), reading
x_t (with any conditioning channels), a time input and optionally a label."""
import flax.linen as nn
import jax

from gdm.models.diffusion.config import DiffusionConfig
from gdm.nn.score_mlp import ScoreMLP
from gdm.nn.unet import UNet


def build_net(m: DiffusionConfig, out_channels: int, num_classes: int, dtype) -> nn.Module:
  """out_channels: what the process asks of the network (e.g. DDPM's learned variance)."""
  if m.net == 'mlp':
    return ScoreMLP(tuple(m.mlp.hidden), out_channels, m.mlp.act, num_classes, dtype)
  u = m.unet
  chunk = u.cpu_wgrad_chunk if jax.default_backend() == 'cpu' else 0
  return UNet(out_channels, u.channels, tuple(u.channel_mult), u.num_res_blocks,
              tuple(u.attn_resolutions), u.dropout, num_classes, dtype, chunk)
