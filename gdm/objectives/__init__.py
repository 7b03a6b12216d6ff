"""Objectives: pure functions of model outputs and data, one concept per file."""
