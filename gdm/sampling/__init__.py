"""MCMC and other samplers shared by model families."""
