"""Diffusion processes and their samplers: discrete schedules, SDEs, samplers, guidance."""
