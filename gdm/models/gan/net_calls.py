"""How the family calls its networks where a kind needs more than `apply(params, ...)`:

  growing kinds (ProGAN, gan.growth set): every call runs the level and fade-in of the train
    step in model_state['progress'] (gdm.models.gan.growth.apply_grown); the losses set it to
    their step (`at_step`) and store step + 1 for evaluation and sampling (`after_step`);
    real images are blended to the active resolution (`real_input`). So evaluation,
    sampling and the modes see the resolution of the train step the state is at (one step
    behind only while the trainer is skipping non-finite updates);
  a generator with spectral norm (BigGAN) reads its power iterations from
    model_state['generator'] and advances them only in its own update (`run_generator`).

Every function takes the family's `GAN` first; the other kinds pass through unchanged.
"""
import jax.numpy as jnp

from gdm.models.gan import growth
from gdm.nn.spectral_norm import COLLECTION


def progress(model_state):
  """The train step a growing network follows (None for the other kinds)."""
  return (model_state or {}).get('progress')


def at_step(gan, model_state, step):
  """model_state as the losses run the networks at train `step` (a growing kind's progress)."""
  return {**model_state, 'progress': jnp.asarray(step, jnp.int32)} if gan.growth else model_state


def after_step(gan, model_state, step):
  return {**model_state, 'progress': jnp.asarray(step, jnp.int32) + 1} if gan.growth \
      else model_state


def real_input(gan, x, model_state):
  """Real images as D sees them: a growing kind blends them to its active resolution."""
  return growth.blend_reals(gan.growth, x, progress(model_state)) if gan.growth else x


def apply_net(gan, net, variables, model_state, *args):
  if gan.growth:
    return growth.apply_grown(net, gan.growth, progress(model_state), variables, *args)
  return net.apply(variables, *args)


def run_generator(gan, p, model_state, g_in, y, update=False):
  """(G(g_in, y), G's power-iteration stats, advanced when `update`; None without any)."""
  stats = (model_state or {}).get('generator')
  if not stats:
    return apply_net(gan, gan.generator, {'params': p}, model_state, g_in, y), None
  variables = {'params': p, COLLECTION: stats}
  if update:
    out, new = gan.generator.apply(variables, g_in, y, True, mutable=[COLLECTION])
    return out, new[COLLECTION]
  return gan.generator.apply(variables, g_in, y, False), stats
