"""Sample-based evaluation of a trained run: FID, KID, Inception Score, precision/recall.

  python -m experiments.evaluate --workdir=DIR --metrics=fid,kid,is,pr --num_samples=50000 \
      --inception_weights=inception.npz [--ref_stats=cifar10_train.npz]
  python -m experiments.evaluate --workdir=DIR --features=domain --domain_classifier=CLF_DIR
  python -m experiments.evaluate --workdir=DIR --mode=ref_stats --ref_stats=OUT.npz ...
  python -m experiments.evaluate --workdir=DIR --mode=reconstructions --metrics=fid ...

Samples come from the EMA params of the newest checkpoint in DIR; the reference is
--ref_stats (FID only; pytorch-fid .npz format) or the first --num_samples examples of
--ref_split of the run's dataset. An image-to-image (translation) run is scored by the
translations of the first --num_samples images of its evaluation split against the target
images of the reference split (its target domain). `--mode=reconstructions` scores the run's
reconstructions of those reference examples instead of samples (its `reconstruct` mode:
first stages, autoencoders, latent diffusion), as eval/rfid, eval/rkid, ... Values go to
DIR/metrics.jsonl and TensorBoard as eval/* (eval/*_domain, eval/*_raw for the other feature
extractors) and are printed as a table.
"""
import json
import os
import sys

from absl import app, flags

FLAGS = flags.FLAGS
flags.DEFINE_string('workdir', None, 'A trained run.', required=True)
flags.DEFINE_enum('mode', 'samples', ['samples', 'reconstructions', 'ref_stats'],
                  'samples: metrics of the model; reconstructions: of its reconstructions '
                  '(rFID); ref_stats: write reference statistics.')
flags.DEFINE_list('metrics', ['fid', 'kid', 'is', 'pr'], 'fid, kid, is, pr.')
flags.DEFINE_integer('num_samples', 50000, 'Samples (and reference examples).')
flags.DEFINE_integer('batch_size', 0, 'Sampling / feature batch; 0 = the run\'s eval.batch_size.')
flags.DEFINE_string('features', 'inception', 'inception | domain | raw.')
flags.DEFINE_string('inception_weights', '', 'FID Inception weights (.npz).')
flags.DEFINE_string('domain_classifier', '', 'Workdir of a python -m experiments.classifier run.')
flags.DEFINE_string('ref_stats', '', 'Reference statistics .npz (read; written in ref_stats mode).')
flags.DEFINE_string('ref_split', '', 'Reference split; default the run\'s data.train_split.')
flags.DEFINE_integer('kid_subsets', 100, 'KID subsets.')
flags.DEFINE_integer('kid_subset_size', 1000, 'KID subset size.')
flags.DEFINE_integer('is_splits', 10, 'Inception Score splits.')
flags.DEFINE_integer('pr_k', 3, 'Nearest neighbours for precision/recall.')


def _fail(message):
  sys.stderr.write(f'error: {" ".join(str(message).split())}\n')
  sys.exit(2)


def check_output(path: str):
  """--ref_stats as an output: a new .npz in a writable folder (never overwrite one)."""
  if not path:
    raise ValueError('--mode=ref_stats needs --ref_stats=OUT.npz')
  if not path.endswith('.npz'):
    raise ValueError(f'--ref_stats={path!r} must end in .npz')
  if os.path.exists(path):
    raise ValueError(f'--ref_stats={path!r} exists; remove it or choose another path '
                     '(statistics are never overwritten)')
  folder = os.path.dirname(os.path.abspath(path))
  if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
    raise ValueError(f'--ref_stats={path!r}: folder {folder!r} is not writable')


def main(argv):
  if len(argv) > 1:
    _fail(f'unexpected arguments: {argv[1:]}')
  from experiments.families import FAMILIES, get_family
  from gdm import data as data_lib
  from gdm.metrics import distribution as dist
  from gdm.train import experiment, feature_extractors, sample_metrics
  from gdm.train.evaluation import Evaluator
  from gdm.train.writer import MetricWriter

  try:
    config, family = experiment.load_run(FLAGS.workdir)
    exp = experiment.build(config, FLAGS.workdir, get_family(family), migrate=True)
    sample_metrics.check_request(FLAGS.metrics, FLAGS.num_samples, FLAGS.kid_subset_size,
                                 FLAGS.is_splits, FLAGS.pr_k, FLAGS.features, exp.info.is_image)
    if FLAGS.mode == 'ref_stats':
      check_output(FLAGS.ref_stats)
    elif not exp.checkpointer.all_steps():
      raise ValueError(f'{exp.checkpointer.directory} has no checkpoint; train first')
    if FLAGS.mode == 'reconstructions' and 'reconstruct' not in exp.model.modes:
      raise ValueError(f'--mode=reconstructions needs a run with a reconstruct mode (first_stage, '
                       f'autoencoder, vqvae2, latent diffusion); {FLAGS.workdir!r} is a '
                       f'{family!r} run without one')
    split = FLAGS.ref_split or exp.config.data.train_split
    reference = data_lib.load_source(exp.config.data, split)
    translation = exp.model.translate is not None
    if translation and FLAGS.mode == 'samples':
      sample_metrics.check_translations(FLAGS.num_samples, exp.eval_source, reference)
    feature_fn = feature_extractors.make(
        FLAGS.features, inception_weights=FLAGS.inception_weights,
        domain_classifier=FLAGS.domain_classifier, classifier_family=FAMILIES['classifier'],
        shape=exp.info.target_shape if translation else exp.info.shape,
        mesh=exp.mesh)
    if FLAGS.ref_stats and FLAGS.mode != 'ref_stats' and 'fid' in FLAGS.metrics:
      dist.load_stats(FLAGS.ref_stats, dim=feature_fn.dim)   # checked before any sampling
  except ValueError as e:
    _fail(e)
  batch_size = FLAGS.batch_size or exp.config.eval.batch_size
  if FLAGS.mode == 'ref_stats':
    feats = sample_metrics.dataset_features(reference, FLAGS.num_samples, batch_size,
                                            feature_fn, keep_pool=False,
                                            field='y' if translation else 'x')
    dist.save_stats(FLAGS.ref_stats, *feats.stats.result())
    print(FLAGS.ref_stats)
    return
  state, step = exp.restore_or_init()
  scalars = sample_metrics.evaluate_samples(
      Evaluator(exp), state, FLAGS.metrics, FLAGS.num_samples, batch_size, feature_fn,
      reference, FLAGS.ref_stats, FLAGS.kid_subsets, FLAGS.kid_subset_size, FLAGS.is_splits,
      FLAGS.pr_k, suffix=feature_extractors.SUFFIX[FLAGS.features],
      reference_field='y' if translation else 'x',
      reconstructions=FLAGS.mode == 'reconstructions')
  with MetricWriter(FLAGS.workdir, enabled=exp.is_writer) as writer:
    writer.write_scalars(step, scalars)
  if exp.is_writer:
    print(f'step {step}, {FLAGS.num_samples} {FLAGS.mode}, {FLAGS.features} features')
    for name, value in scalars.items():
      print(f'  {name:<24} {value:.6g}')
    print(json.dumps({'step': step, **scalars}))


if __name__ == '__main__':
  app.run(main)
