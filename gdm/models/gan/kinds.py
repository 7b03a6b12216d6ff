"""The GAN kinds whose networks live in files of their own, behind explicit dicts:

  NETWORKS  name -> builder(m, info, out, dtype, heads) -> (generator, discriminator)
  GROWING   name -> schedule(run, info) -> gdm.models.gan.growth.Growth, for kinds whose
            networks grow with the train step (their nets take `level` and `alpha`)

progan  Progressive GAN (progan_nets.py, progan_config.py)
biggan  BigGAN's generator (biggan_nets.py) and the SNGAN ResNet discriminator of nets.py
        with BigGAN's widths, attention and projection head (biggan_config.py)
"""
from gdm.models.gan import nets, progan_config
from gdm.models.gan.biggan_nets import BigGANGenerator
from gdm.models.gan.progan_nets import ProGANDiscriminator, ProGANGenerator


def progan_networks(m, info, out: str, dtype, heads: nets.HeadSpec):
  del heads                   # unconditional (progan_config.check)
  p = m.progan
  return (ProGANGenerator(p.channels, info.shape[-1], out, dtype),
          ProGANDiscriminator(p.channels, p.mbstd_group, dtype))


def biggan_networks(m, info, out: str, dtype, heads: nets.HeadSpec):
  b = m.biggan
  return (BigGANGenerator(b.g_channels, info.shape[0], info.shape[-1], heads.projection_classes,
                          b.shared_dim, b.hierarchical, b.attention_res, b.g_spectral_norm, out,
                          dtype),
          nets.ResNetDiscriminator(b.d_channels, b.d_downsample, b.attention_res, heads,
                                   m.spectral_norm, dtype))


NETWORKS = {'progan': progan_networks, 'biggan': biggan_networks}
GROWING = {'progan': progan_config.schedule}
