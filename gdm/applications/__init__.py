"""Applications built on trained models: latent interpolation, imputation, anomaly scores."""
