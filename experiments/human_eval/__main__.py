"""Human evaluation of generated images in a browser, HYPE-style (Zhou et al., 2019).

  python -m experiments.human_eval serve --workdir=RUN[,RUN2,...] --port=8080 \
      [--exposure_ms=0] [--per_kind=20] [--checks=2]
  python -m experiments.human_eval report --workdir=RUN[,RUN2,...]

`serve` shows each rater `per_kind` real images of the first run's evaluation split,
`per_kind` samples of every run (its newest `--mode=sample` output) and `checks` attention
checks, in a random order, one at a time: for `exposure_ms` milliseconds (HYPE_time style) or
until the answer (0: HYPE_inf). Answers (rater id, image, truth, answer, response time) go to
FIRST_RUN/human_eval.sqlite. `report` prints the HYPE_inf error rate with a bootstrap 95%
interval per run and pooled, per-rater accuracy and attention-check failures, and adds them
to each run's metrics.jsonl (human/*) at the step of its samples.
"""
import json
import socket
import sys

from absl import app, flags

FLAGS = flags.FLAGS
flags.DEFINE_list('workdir', None, 'Runs to evaluate (the first holds the database).',
                  required=True)
flags.DEFINE_string('host', '127.0.0.1', 'Address to listen on (serve).')
flags.DEFINE_integer('port', 8080, 'Port to listen on (serve).')
flags.DEFINE_integer('exposure_ms', 0, 'How long each image is shown; 0 = until answered.')
flags.DEFINE_integer('per_kind', 20, 'Real images, and samples of each run, per session.')
flags.DEFINE_integer('checks', 2, 'Attention checks (obvious fakes) per session.')
flags.DEFINE_integer('num_real', 1000, 'Real images drawn from.')
flags.DEFINE_integer('seed', 0, 'Seed of the sessions\' image orders.')


def _fail(message):
  sys.stderr.write(f'error: {" ".join(str(message).split())}\n')
  sys.exit(2)


def check_port(host: str, port: int):
  with socket.socket() as s:
    try:
      s.bind((host, port))
    except OSError as e:
      raise ValueError(f'--port={port} on {host} is not free ({e.strerror}); choose another '
                       '--port') from None


def serve():
  from experiments.human_eval import app as web, stimuli, store
  for name in ('per_kind', 'exposure_ms', 'checks'):
    if getattr(FLAGS, name) < (1 if name == 'per_kind' else 0):
      raise ValueError(f'--{name}={getattr(FLAGS, name)} must be >= '
                       f'{1 if name == "per_kind" else 0}')
  check_port(FLAGS.host, FLAGS.port)
  pool = stimuli.load_pool(FLAGS.workdir, FLAGS.num_real)
  db = store.open_store(store.path_in(FLAGS.workdir[0]))
  print(f'rating page: http://{FLAGS.host}:{FLAGS.port}/', flush=True)
  web.create_app(pool, db, FLAGS.exposure_ms, FLAGS.per_kind, FLAGS.checks,
                 FLAGS.seed).run(FLAGS.host, FLAGS.port)


def report():
  from experiments.human_eval import stimuli, store
  from experiments.human_eval.report import summarize
  from gdm.train.writer import MetricWriter
  db = store.open_store(store.path_in(FLAGS.workdir[0]), create=False)
  summary = summarize(store.all_answers(db))
  if not summary['all']['answers']:
    raise ValueError(f'{store.path_in(FLAGS.workdir[0])} holds no scored answers yet')
  for run, rates in summary['runs'].items():
    _, step = stimuli.newest_samples(run)
    scalars = {f'human/{k}': v for k, v in rates.items()}
    scalars.update({'human/raters': summary['raters'],
                    'human/attention_failures': summary['attention_failures']})
    with MetricWriter(run, enabled=True) as writer:
      writer.write_scalars(step, scalars)
  print(json.dumps(summary, indent=2))


def main(argv):
  if len(argv) != 2 or argv[1] not in ('serve', 'report'):
    _fail(f'usage: python -m experiments.human_eval serve|report --workdir=RUN; got '
          f'{argv[1:]}')
  try:
    (serve if argv[1] == 'serve' else report)()
  except ValueError as e:
    _fail(e)


if __name__ == '__main__':
  app.run(main)
