"""The GAN model section shared by every GAN baseline."""
import ml_collections

from experiments.configs import default


def model_config(**overrides) -> ml_collections.ConfigDict:
  d_optimizer = default.optimizer_config()
  d_optimizer.update(overrides.pop('d_optimizer', {}))
  model = ml_collections.ConfigDict(dict(
      kind='mlp',                 # mlp | dcgan | resnet
      latent_dim=16,
      g_hidden=(128, 128),        # mlp generator widths
      d_hidden=(128, 128),        # mlp discriminator widths
      act='relu',                 # mlp generator activation
      d_act='leaky_relu',         # mlp discriminator activation
      g_channels=(64, 128),       # dcgan/resnet generator: one 2x up-sampling level per entry
      d_channels=(64, 128),       # dcgan: one stride-2 conv per entry; resnet: one block each
      d_norm='batch',             # dcgan discriminator: none | batch | layer
      d_downsample=2,             # resnet discriminator: blocks that halve the resolution
      attention_res=0,            # SAGAN self-attention at this feature-map size; 0 = off
      spectral_norm=False,        # spectral normalisation of every discriminator layer
      loss='non_saturating',      # minimax | non_saturating | lsgan | wgan | hinge
      regularizer='none',         # none | gradient_penalty | r1
      penalty_weight=10.0,        # gradient_penalty: lambda; r1: gamma (loss adds gamma/2 R1)
      weight_clip=0.0,            # WGAN: clip discriminator weights to [-c, c]; 0 = off
      n_critic=1,                 # discriminator updates per generator update
      conditioning='none',        # none | concat | acgan | projection (needs labels)
      aux_weight=1.0,             # acgan: weight of the auxiliary classification loss
      info_categorical=0,         # InfoGAN: categories of one categorical code; 0 = none
      info_continuous=0,          # InfoGAN: continuous codes ~ U[-1, 1]
      info_weight=1.0,            # InfoGAN: lambda of the mutual-information term
      d_optimizer=d_optimizer,    # the generator uses train.optimizer (TTUR: differ them)
  ))
  model.update(overrides)
  return model


def adam(config, g_lr: float, d_lr: float, b1: float, b2: float, **opt):
  """The same Adam for both players, with their own learning rates."""
  for o, lr in ((config.train.optimizer, g_lr), (config.model.d_optimizer, d_lr)):
    o.update(dict(name='adam', learning_rate=lr, b1=b1, b2=b2, **opt))
  return config


SMOKE = dict(latent_dim=8, g_hidden=(16,), d_hidden=(16,), g_channels=(8, 8),
             d_channels=(8, 8))
