"""The compare from start to end: check everything, train the domain classifier, then per
family train its stages and evaluate it, then write the report. Every step is recorded in
DIR/compare.json as it finishes, so a rerun skips what is done: a family evaluated before
is not touched, a trained one is only evaluated, a stage part-trained resumes from its
newest checkpoint to the step count fixed when it started.
"""
import dataclasses
import time

from experiments.comparison import measure, report, stages
from experiments.comparison.plan import CLASSIFIER, ENTRIES
from experiments.comparison.progress import EVALUATED, TRAINED, Progress
from gdm.data import digits
from gdm.train import feature_extractors
from gdm.train.config import parse_run
from gdm.train.workdir import WorkdirLock, check_writable


@dataclasses.dataclass(frozen=True)
class Settings:
  """What the numbers depend on; fixed by a compare's first run (compare.json)."""
  budget_s: float               # wall-clock seconds of train steps per family
  num_samples: int              # samples (and training images) for FID / KID / P&R
  sample_batch: int = 64        # samples drawn per call (and per --mode=sample file)
  kid_subset_size: int = 1000
  kid_subsets: int = 100
  pr_k: int = 3
  variant: str = ''             # 'smoke': every config's :smoke variant (tests)
  max_steps: int = 0            # cap on any stage's steps; 0 = none

  def __post_init__(self):
    if self.budget_s <= 0:
      raise ValueError(f'--budget_s={self.budget_s:g} must be > 0')
    if not 2 <= self.kid_subset_size <= self.num_samples or self.num_samples <= self.pr_k:
      raise ValueError(f'--num_samples={self.num_samples} must be at least the KID subset '
                       f'size ({self.kid_subset_size}) and more than pr_k={self.pr_k}')
    if self.num_samples > digits.NUM_TRAIN:
      raise ValueError(f'--num_samples={self.num_samples} exceeds the {digits.NUM_TRAIN} '
                       'training digits the samples are compared with')


PRESETS = {
    'full': Settings(budget_s=120.0, num_samples=1024),
    'quick': Settings(budget_s=12.0, num_samples=256, kid_subset_size=256),
    'smoke': Settings(budget_s=1.0, num_samples=32, sample_batch=16, kid_subset_size=16,
                      kid_subsets=5, variant='smoke', max_steps=8),
}
DESCRIPTION = (f"scikit-learn's digits at their native 8x8, the fixed split of gdm.data.digits "
               f'({digits.NUM_TRAIN} train / 297 test)')


def check_plan(names: tuple[str, ...], workdir: str, settings: Settings, families):
  """Every config the compare will train parses, and no stage's workdir holds a run of
  another family: one-line errors before anything trains."""
  for stage in (CLASSIFIER,) + tuple(s for n in names for s in ENTRIES[n].stages):
    config = stages.plan_config(stage, workdir, settings.variant)
    parse_run(config, families[stage.family].config)
    stages.existing_config(stage, stages.workdir_of(workdir, stage.name), families)


def run(workdir: str, names: tuple[str, ...], settings: Settings, families,
        say=print) -> str:
  """Runs (or continues) the compare in `workdir`; returns the report's path."""
  check_writable(workdir)
  lock = WorkdirLock(workdir)
  lock.acquire()
  try:
    return _run(workdir, names, settings, families, say)
  finally:
    lock.release()


def _run(workdir, names, settings, families, say) -> str:
  progress = Progress(workdir)
  progress.check_settings(dataclasses.asdict(settings))
  check_plan(names, workdir, settings, families)
  start = time.monotonic()
  clf = stages.train(CLASSIFIER, workdir, progress, settings, families, None, None, say)
  if 'eval' not in progress.stage(CLASSIFIER.name):
    progress.update_stage(CLASSIFIER.name, workdir=clf.workdir, eval=measure.final_eval(
        measure.read_metrics(clf.workdir), clf.config.train.num_steps))
  features = None
  for name in names:
    entry = ENTRIES[name]
    if progress.status(name) == EVALUATED:
      say(f'{name}: evaluated in an earlier run; kept')
      continue
    exps = {s.name: stages.train(s, workdir, progress, settings, families,
                                 settings.budget_s * s.share, clf.info.shape, say)
            for s in entry.stages}
    progress.set_status(name, TRAINED)
    if features is None:
      features = feature_extractors.make(
          'domain', domain_classifier=clf.workdir, classifier_family=families['classifier'],
          shape=clf.info.shape, mesh=clf.mesh)
    if progress.data.get('reference') is None:
      progress.data['reference'] = measure.real_reference(clf, settings, features)
    say(f'{name}: evaluating')
    progress.set_status(name, EVALUATED, measure.evaluate(entry, exps, progress, settings,
                                                          features, families))
  progress.data['data'] = {'description': DESCRIPTION, 'shape': list(clf.info.shape)}
  progress.data.setdefault('sessions', []).append(
      {'families': list(names), 'wall_s': time.monotonic() - start})
  progress.save()
  wall = sum(s['wall_s'] for s in progress.data['sessions'])
  path = report.write(workdir, report.build(progress, wall))
  say(f'report: {path}')
  return path
