"""Area under the ROC curve of a score that should be higher for outliers."""
import jax
import jax.numpy as jnp


def auroc(scores_in: jax.Array, scores_out: jax.Array) -> jax.Array:
  """P(score_out > score_in) + P(tie) / 2 over all (in, out) pairs: 1 = every outlier scores
  above every inlier, 0.5 = chance. Exact (the Mann-Whitney U statistic), in
  O((n + m) log n) by counting, for each outlier, the inliers below and equal to it."""
  s_in = jnp.sort(scores_in.astype(jnp.float32))
  s_out = scores_out.astype(jnp.float32)
  below = jnp.searchsorted(s_in, s_out, side='left')
  equal = jnp.searchsorted(s_in, s_out, side='right') - below
  return jnp.sum(below + 0.5 * equal) / (s_in.shape[0] * s_out.shape[0])
