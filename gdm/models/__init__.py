"""Model families: each binds networks, objective and samplers into a `Model`."""
