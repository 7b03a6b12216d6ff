"""ELBO variants: the VAE's training objectives, one file each, behind an explicit dict.

base.py   Variant (name, its config section, loss, samples it wants, checks), Latents
          (what a loss sees: q's mean and log-variance, the drawn z, log p(x|z), the step)
          and Context (plain run settings: the KL estimator, dataset and batch size)
elbo.py   the ELBO: beta, KL warm-up, free bits, analytic or sampled KL
iwae.py   the importance-weighted bound with k samples
beta_tcvae.py  beta-TCVAE: the KL split into index-code MI, total correlation and
          dimension-wise KL, weighted, on minibatch estimates of q(z) (needs N)

A new variant is a new file with a `VARIANT`, one entry here, and its section as a field
of gdm.models.vae.config.VAEConfig: model.<name>, selected by model.objective=<name>.
"""
from gdm.objectives.elbo_variants import beta_tcvae, elbo, iwae
from gdm.objectives.elbo_variants.base import Context, Latents, Variant

VARIANTS: dict[str, Variant] = {v.name: v for v in (
    elbo.VARIANT,
    iwae.VARIANT,
    beta_tcvae.VARIANT,
)}

__all__ = ['VARIANTS', 'Context', 'Latents', 'Variant']
