"""gdm: deep generative models in JAX/Flax with one functional design and one trainer."""

__version__ = '0.1.0'
