"""Normalizing-flow layers: every one a Bijector (gdm.flows.bijector) with exact log-dets."""
