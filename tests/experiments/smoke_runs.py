"""Every baseline config's smoke run, and the losses it logged before the redesign.

`python -m tests.experiments.smoke_runs` re-records `smoke_reference.json` (run it only when
a change is meant to move results, and say so in the commit). The test in test_configs
compares each smoke run's metrics.jsonl against it, so a refactor that changes a result fails.
"""
import glob
import importlib
import json
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'smoke_reference.json')
SMOKE_STEPS = 4
MOCK_EXAMPLES = 64
TIMINGS = ('step_time_s',)   # logged, but wall-clock: never recorded or compared

CONFIGS = sorted(
    os.path.relpath(p, REPO)[:-3].replace(os.sep, '.')
    for p in glob.glob(os.path.join(REPO, 'experiments/configs/*/*.py'))
    if not os.path.basename(p).startswith(('_', 'common')))


def family_of(module: str) -> str:
  return module.split('.')[-2]     # experiments.configs.FAMILY.NAME


def run_smoke(module: str, workdir: str):
  """Trains `module`'s smoke variant for SMOKE_STEPS steps on one device; returns the state
  and the logged records. tfds datasets must already be mocked by the caller."""
  import jax

  from experiments.families import FAMILIES
  from gdm.train import loop
  from gdm.train.writer import read_metrics
  config = importlib.import_module(module).get_config('smoke')
  config.train.num_steps = SMOKE_STEPS
  state = loop.train_and_evaluate(config, workdir, FAMILIES[family_of(module)],
                                  jax.devices()[:1])
  return state, read_metrics(workdir)


def _record(modules):
  import tempfile

  import tensorflow_datasets as tfds
  from tensorflow_datasets.testing import mocking

  from tests import tfds_without_tf

  # The same patches as tests/conftest.py's fixed_tfds_mock fixture.
  mocking._getitems = lambda keys, generator, serialized=False: [generator[k] for k in keys]
  tfds_without_tf.patch_audio_features()
  reference = {}
  if os.path.exists(REFERENCE):
    with open(REFERENCE) as f:
      reference = json.load(f)
  for module in modules:
    with tempfile.TemporaryDirectory() as workdir, tfds.testing.mock_data(
        num_examples=MOCK_EXAMPLES):
      _, records = run_smoke(module, workdir)
    reference[module] = [{k: v for k, v in r.items() if k not in TIMINGS} for r in records]
    print(module, len(records), flush=True)
    with open(REFERENCE, 'w') as f:
      json.dump(reference, f, indent=1, sort_keys=True)


if __name__ == '__main__':
  from tests.xla_test_flags import setup_test_process
  setup_test_process()       # the test processes' compiles, so records match the tests'
  _record(sys.argv[1:] or CONFIGS)
