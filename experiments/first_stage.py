"""LDM-style first stages: the autoencoders latent diffusion runs in (Rombach et al., 2022).

  python -m experiments.first_stage --workdir=/tmp/ldm_digits_ae \
      --config=experiments/configs/first_stage/ldm_digits.py
  python -m experiments.first_stage --workdir=/tmp/ldm_digits_ae --mode=reconstruct
  python -m experiments.evaluate --workdir=/tmp/ldm_digits_ae --mode=reconstructions ...  (rFID)
"""
from experiments import launch

launch.define_flags('first_stage/ldm_digits.py')

if __name__ == '__main__':
  launch.main('first_stage')
