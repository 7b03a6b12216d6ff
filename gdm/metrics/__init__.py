"""Evaluation metrics computed in JAX."""
