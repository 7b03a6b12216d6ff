"""BigGAN's orthogonal regularisation (Brock et al., 2019, Sec. 3.1, eq. 3):

  R_beta(W) = beta * || W^T W (.) (1 - I) ||_F^2

with the filters of W as columns, summed over the generator's weight matrices: it pushes
filters towards mutual orthogonality without constraining their norms (unlike Brock et
al., 2017's full ||W^T W - I||^2), which makes G smooth enough for the truncation trick.
Convolution kernels [kh, kw, in, out] are the matrix [kh * kw * in, out]. Embeddings are
left out, as BigGAN leaves out its shared class embedding. (The official PyTorch code adds
beta * 2 (W W^T (.) (1 - I)) W to the gradient, the gradient of beta / 2 times this R.)
"""
import jax
import jax.numpy as jnp

KERNEL = 'kernel'


def orthogonal_penalty(w: jax.Array) -> jax.Array:
  """|| W^T W (.) (1 - I) ||_F^2 of one weight, columns its output units."""
  m = w.reshape(-1, w.shape[-1]).astype(jnp.float32)
  gram = m.T @ m
  off_diagonal = gram * (1.0 - jnp.eye(gram.shape[0], dtype=gram.dtype))
  return jnp.sum(jnp.square(off_diagonal))


def orthogonal_regularizer(params) -> jax.Array:
  """The penalty summed over every leaf named 'kernel' with at least two axes."""
  total = jnp.zeros((), jnp.float32)
  for path, leaf in jax.tree_util.tree_flatten_with_path(params)[0]:
    name = getattr(path[-1], 'key', None)
    if name == KERNEL and leaf.ndim >= 2:
      total = total + orthogonal_penalty(leaf)
  return total
