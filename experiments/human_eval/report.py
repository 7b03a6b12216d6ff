"""The numbers of a human evaluation: HYPE_inf error rate with its bootstrap interval (per
run and pooled), per-rater accuracy and attention-check failures."""
import collections

from gdm.metrics import hype


def _rates(part) -> dict:
  by_rater = collections.defaultdict(list)
  for rater, _, _, truth, answer, _ in part:
    by_rater[rater].append(float(answer != truth))
  low, high = hype.bootstrap_interval(list(by_rater.values()))
  return {'hype_inf_error': hype.error_rate([r[4] for r in part], [r[3] for r in part]),
          'ci95_low': low, 'ci95_high': high, 'answers': len(part)}


def summarize(rows) -> dict:
  """rows: store.all_answers(), (rater, kind, run, truth, answer, response_ms). A rater who
  failed an attention check is counted and left out of the error rates."""
  checks = collections.defaultdict(list)
  for rater, kind, _, truth, answer, _ in rows:
    if kind == 'check':
      checks[rater].append(answer == truth)
  failed = sorted(r for r, ok in checks.items() if not all(ok))
  scored = [r for r in rows if r[1] != 'check' and r[0] not in failed]
  reals = [r for r in scored if r[1] == 'real']
  runs = sorted({r[2] for r in scored if r[1] == 'fake'})
  return {
      'raters': len({r[0] for r in scored}), 'attention_failures': len(failed),
      'failed_raters': failed,
      'all': _rates(scored),
      'runs': {run: _rates(reals + [r for r in scored if r[1] == 'fake' and r[2] == run])
               for run in runs},
      'rater_accuracy': hype.rater_accuracy([r[4] for r in scored], [r[3] for r in scored],
                                            [r[0] for r in scored]) if scored else {},
  }
