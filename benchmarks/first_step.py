"""Time to first train step of the paper-baseline configs: build, init, trace, XLA compile and
the first execution of the train step, cold and with a warm compilation cache.

  python -m benchmarks.first_step [--configs=diffusion/ddpm_cifar10,...] [--batch_size=8]
      [--legacy_guard] [--sequential]

Each config runs in two fresh processes sharing a new compilation cache directory and a
workdir: the first initialises, compiles (cold), runs the step and checkpoints it; the second
is the restart of a preempted job: it restores that checkpoint (`init_s` is then the restore)
and loads the compiled step from the cache. tfds
datasets are mocked (shapes are what matters). `--legacy_guard` restores the per-leaf
`isfinite` guard of the train step that issue 15 measured (every gradient leaf checked, the
scalar chain copied into every update fusion), for the "before" column. By default the step
compiles on a thread while the state is initialised or restored, as the trainer does with
train.compile_ahead=True (gdm/train/precompile.py): `compile_wait_s` is what is left of its compile once the state is
ready; `--sequential` times the init, then the step's trace and compile, one after the other.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

from absl import app, flags

FLAGS = flags.FLAGS
PAPER_CONFIGS = (
    'diffusion/ddpm_cifar10', 'diffusion/vpsde_cifar10', 'diffusion/edm_cifar10',
    'diffusion/sr_cifar10', 'flow/realnvp_cifar10', 'flow/glow_cifar10',
    'autoregressive/pixelcnn_pp_cifar10', 'autoregressive/gated_pixelcnn_cifar10',
    'gan/sngan_cifar10', 'gan/wgan_gp_cifar10', 'vae/conv_cifar10', 'vqvae/cifar10',
    'ebm/cifar10', 'autoencoder/conv_cifar10')
flags.DEFINE_list('configs', list(PAPER_CONFIGS), 'Configs under experiments/configs/.')
flags.DEFINE_integer('batch_size', 8, 'Global batch of the timed step.')
flags.DEFINE_bool('legacy_guard', False, 'Time the per-leaf guard of before issue 15.')
flags.DEFINE_bool('sequential', False, 'Init, then trace and compile the step (the trainer\'s '
                  'default, train.compile_ahead=False).')
flags.DEFINE_integer('timeout', 1800, 'Seconds per process.')
flags.DEFINE_string('child', '', 'Internal: run one config in this process.')


def _legacy_guard():
  """Makes the step's gradient-norm check per leaf, as it was: the norm is NaN unless every
  leaf is finite, each leaf tested on its own (the growth check is turned off in this mode)."""
  import types

  import jax
  import jax.numpy as jnp
  import optax
  from gdm.train import step

  def per_leaf(tree):
    leaves = [jnp.all(jnp.isfinite(x)) for x in jax.tree.leaves(tree)]
    finite = jnp.stack(leaves).all() if leaves else jnp.array(True)
    return jnp.where(finite, optax.global_norm(tree), jnp.nan)

  step.optax = types.SimpleNamespace(**vars(optax))
  step.optax.global_norm = per_leaf


def _measure(name: str, batch_size: int, legacy: bool, sequential: bool,
             workdir: str) -> dict:
  import importlib
  import jax
  import tensorflow_datasets as tfds
  from tensorflow_datasets.testing import mocking
  from experiments.families import get_family
  from gdm.train import experiment, loop, precompile
  if legacy:
    _legacy_guard()
  mocking._getitems = lambda keys, generator, serialized=False: [generator[k] for k in keys]
  times = {}
  start = time.perf_counter()
  config = importlib.import_module('experiments.configs.' + name.replace('/', '.')).get_config()
  config.train.batch_size = config.eval.batch_size = batch_size
  if legacy:
    config.train.param_growth_limit = 0.0
  with tfds.testing.mock_data(num_examples=64):
    exp = experiment.build(config, workdir, get_family(name.split('/')[0]))
    times['build_s'] = time.perf_counter() - start
    batch = exp.train_batch(0, 1)
    jitted = loop.compile_train_step(exp)
    t = time.perf_counter()
    if not sequential:             # as train.compile_ahead=True: compiled during the init
      shapes = precompile.abstract_batch(exp.pipeline.batch(0), batch_size, 1,
                                         exp.micro_batches)
      ahead = precompile.AheadOfTime(jitted, (exp.abstract_state, shapes, exp.base_key))
    state, _ = exp.restore_or_init()
    jax.block_until_ready(state)
    times['init_s'] = time.perf_counter() - t
    t = time.perf_counter()
    if sequential:
      lowered = jitted.lower(state, batch, exp.base_key)
      times['trace_s'] = time.perf_counter() - t
      t = time.perf_counter()
      compiled = lowered.compile()
      times['compile_s'] = time.perf_counter() - t
    else:
      compiled = ahead.wait()
      times['compile_wait_s'] = time.perf_counter() - t
    t = time.perf_counter()
    state, metrics = compiled(state, batch, exp.base_key)
    jax.block_until_ready((state, metrics))
    times['first_run_s'] = time.perf_counter() - t
    params = sum(x.size for x in jax.tree.leaves(state.params))
    if exp.checkpointer.latest_step() is None:
      exp.checkpointer.save(1, state, {'next_step': 1}, force=True)
      exp.checkpointer.wait()
  times['total_s'] = time.perf_counter() - start
  return {'config': name, 'params_M': round(params / 1e6, 2),
          **{k: round(v, 1) for k, v in times.items()}}


def _run_child(name: str, cache: str, workdir: str) -> dict:
  env = dict(os.environ)
  cmd = [sys.executable, '-m', 'benchmarks.first_step', f'--child={name}',
         f'--batch_size={FLAGS.batch_size}', f'--legacy_guard={FLAGS.legacy_guard}',
         f'--sequential={FLAGS.sequential}']
  env['GDM_BENCH_CACHE'], env['GDM_BENCH_WORKDIR'] = cache, workdir
  out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=FLAGS.timeout)
  if out.returncode:
    return {'config': name, 'error': out.stderr.strip().splitlines()[-1][:200]}
  return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv):
  del argv
  if FLAGS.child:
    from gdm.utils import compile_cache
    compile_cache.enable(os.environ.get('GDM_BENCH_CACHE', ''))
    print(json.dumps(_measure(FLAGS.child, FLAGS.batch_size, FLAGS.legacy_guard,
                              FLAGS.sequential, os.environ['GDM_BENCH_WORKDIR'])))
    return
  rows = []
  for name in FLAGS.configs:
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as workdir:
      cold = _run_child(name, cache, workdir)
      warm = _run_child(name, cache, workdir)
    row = {**cold, **{f'restart_{k}': v for k, v in warm.items() if k.endswith('_s')}}
    rows.append(row)
    print(json.dumps(row), flush=True)
  waits = ['trace_s', 'compile_s'] if FLAGS.sequential else ['compile_wait_s']
  keys = (['config', 'params_M', 'build_s', 'init_s', *waits, 'first_run_s', 'total_s',
           'restart_init_s'] + [f'restart_{k}' for k in waits]
          + ['restart_first_run_s', 'restart_total_s'])
  print('| ' + ' | '.join(keys) + ' |')
  print('|' + ' --- |' * len(keys))
  for row in rows:
    print('| ' + ' | '.join(str(row.get(k, row.get('error', ''))) for k in keys) + ' |')


if __name__ == '__main__':
  app.run(main)
