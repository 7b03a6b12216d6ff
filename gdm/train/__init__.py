"""The generic trainer: players, train state, jitted steps, checkpoints and the loop."""
