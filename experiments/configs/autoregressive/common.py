"""The autoregressive model section shared by every autoregressive baseline."""
import ml_collections

from experiments.configs import default


def model_config(**overrides) -> ml_collections.ConfigDict:
  model = ml_collections.ConfigDict(dict(
      net='pixelcnn',           # made | nade | pixelcnn | gated_pixelcnn | pixelcnn_pp
      likelihood='bernoulli',   # bernoulli (binarized) | categorical (256-way) |
                                # logistic_mixture (pixelcnn_pp) | gaussian_mixture (toys)
      hidden=(500,),            # made: hidden widths; nade: one width
      act='relu',               # made / nade hidden activation (NADE's paper: sigmoid)
      order='identity',         # made: identity | reverse | random (seeded by 0)
      features=64,              # pixelcnn (2h) / gated_pixelcnn / pixelcnn_pp width
      num_layers=6,             # pixelcnn residual blocks / gated_pixelcnn gated layers
      kernel_size=5,            # gated_pixelcnn: kernel of the gated layers
      first_kernel_size=7,      # pixelcnn / gated_pixelcnn: the first (mask A) kernel
      head_features=0,          # width of the 1x1 output layers; 0 = features
      num_resnet=5,             # pixelcnn_pp: gated resnet blocks per level
      levels=3,                 # pixelcnn_pp: resolutions (2 halvings)
      dropout=0.5,              # pixelcnn_pp: dropout in every gated resnet block
      num_mixtures=10,          # logistic_mixture / gaussian_mixture components
      conditional=False,        # one-hot class label conditions every layer (every net)
      inpaint_rows=0,           # --mode=inpaint: rows given; 0 = the top half
      vqvae_workdir='',         # a trained experiments.vqvae run: the prior models its codes
      vqvae_config='',          # with no workdir: an untrained VQ-VAE (smoke tests only)
  ))
  model.update(overrides)
  return model


SMOKE = dict(hidden=(16,), features=8, num_layers=1, kernel_size=3, first_kernel_size=3,
             head_features=8, num_resnet=1, levels=2, num_mixtures=2)


def apply_variant(config: ml_collections.ConfigDict, variant: str, smoke_image_size: int = 8,
                  **smoke):
  """default.apply_variant with SMOKE (updated by `smoke`). Sampling is a loop over every
  position, so the smoke variant also resizes images to `smoke_image_size` (0 = keep; toys)
  and draws its few samples once, at the end."""
  config = default.apply_variant(config, variant, smoke=dict(SMOKE, **smoke))
  if variant == 'smoke':
    config.train.sample_every = 0
    config.sample.num_samples = 4
    if smoke_image_size:
      config.data.image_size = smoke_image_size
  return config
