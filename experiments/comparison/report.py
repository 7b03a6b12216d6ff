"""DIR/report.json, DIR/report.html (one self-contained page: the table, a sample grid per
family, the loss curves and the precision/recall scatter, every picture an inline PNG) and
DIR/report.md (the table alone, as the README shows it)."""
import base64
import html
import json
import os

from experiments.comparison import figures
from experiments.comparison.plan import ENTRIES

COLUMNS = ('family', 'bits/dim (NLL nats)', 'FID', 'KID', 'precision', 'recall',
           'sample ms/image', 'train examples/s', 'params', 'steps', 'pixels')


def build(progress, wall_s: float) -> dict:
  """Everything the compare measured, in the table's order."""
  results = {n: progress.result(n) for n in ENTRIES if progress.result(n) is not None}
  clf = progress.stage('classifier').get('eval') or {}
  return {'settings': progress.data['settings'], 'data': progress.data.get('data', {}),
          'classifier': {'workdir': progress.stage('classifier').get('workdir'),
                         'accuracy': clf.get('eval/accuracy')},
          'reference': progress.data.get('reference'),
          'wall_s': wall_s, 'families': results}


def _num(value, digits: int = 3) -> str:
  if value is None:
    return '—'
  if abs(value) >= 1000:
    return f'{value:,.0f}'
  return f'{value:.{digits}g}'


def likelihood_cell(rows: list[dict]) -> str:
  """'0.91 exact (41.2)' per likelihood, or '—' for families without one."""
  if not rows:
    return '—'
  return '; '.join(f'{_num(r["bpd"])} {_name(r)} ({_num(r["nll"], 4)})' for r in rows)


def _name(row: dict) -> str:
  """'IWAE estimate', 'exact', 'DDPM bound': the label once."""
  return row['name'] if row['label'] in row['name'].split() else f'{row["name"]} {row["label"]}'



def table_rows(report: dict) -> list[list[str]]:
  out = []
  for name, r in report['families'].items():
    s = r['samples']
    steps = ' + '.join(str(st['num_steps']) for st in r['stages'].values())
    out.append([name, likelihood_cell(r['likelihood']), _num(s['fid']), _num(s['kid'], 2),
                _num(s['precision'], 2), _num(s['recall'], 2),
                _num(1000 * r['sample_s_per_image'], 2), _num(r['train_examples_per_s']),
                f'{r["params"]:,}', steps, r['pixels']])
  ref = report.get('reference')
  if ref:
    out.append([f'test digits (real, {ref["num"]})', '—', _num(ref['fid']),
                _num(ref['kid'], 2), _num(ref['precision'], 2), _num(ref['recall'], 2),
                '—', '—', '—', '—', '8-bit'])
  return out


def markdown(report: dict) -> str:
  lines = ['| ' + ' | '.join(COLUMNS) + ' |', '|' + ' --- |' * len(COLUMNS)]
  lines += ['| ' + ' | '.join(row) + ' |' for row in table_rows(report)]
  return '\n'.join(lines) + '\n'


def _img(png: bytes, alt: str, width: int = 0) -> str:
  size = f' width="{width}"' if width else ''
  return (f'<img alt="{html.escape(alt)}"{size} '
          f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">')


def _table(report: dict) -> str:
  head = ''.join(f'<th>{html.escape(c)}</th>' for c in COLUMNS)
  body = ''.join('<tr>' + ''.join(f'<td>{html.escape(c)}</td>' for c in row) + '</tr>'
                 for row in table_rows(report))
  return f'<table><tr>{head}</tr>{body}</table>'


def _samples(report: dict) -> str:
  cells = []
  for name, r in report['families'].items():
    with open(r['samples_png'], 'rb') as f:
      png = f.read()
    extras = ', '.join(f'{k} {_num(v, 4)}' for k, v in r['extras'].items())
    caption = html.escape('; '.join(x for x in (r['note'], extras) if x))
    cells.append(f'<figure>{_img(png, f"{name} samples", 200)}<figcaption><b>{name}</b>'
                 f'<br>{caption}</figcaption></figure>')
  return '<div class="grids">' + ''.join(cells) + '</div>'


STYLE = ('body{font-family:sans-serif;margin:2em;max-width:80em}table{border-collapse:'
         'collapse;font-size:90%}td,th{border:1px solid #ccc;padding:3px 6px;text-align:'
         'right}td:first-child,th:first-child,td:last-child{text-align:left}.grids{display:'
         'flex;flex-wrap:wrap;gap:1em}figure{margin:0;width:200px;font-size:80%}'
         'img{image-rendering:pixelated}')


def page(report: dict, summary: str) -> str:
  results = report['families']
  scatter = figures.precision_recall(results, report.get('reference'))
  return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>gdm compare</title>'
          f'<style>{STYLE}</style></head><body><h1>One table across families</h1>'
          f'<p>{html.escape(summary)}</p>{_table(report)}'
          f'<h2>Samples</h2>{_samples(report)}'
          f'<h2>Training</h2>{_img(figures.loss_curves(results), "loss curves")}'
          f'<h2>Precision and recall</h2>'
          f'{_img(scatter, "precision/recall scatter")}'
          f'</body></html>')


def summary(report: dict) -> str:
  s, data = report['settings'], report['data']
  clf = report['classifier']
  return (f'{data.get("description", "digits")}. Each family trained for a wall-clock '
          f'budget of {s["budget_s"]:g} s (steps fixed from a timed calibration). Bits/dim '
          f'are of the 8-bit data (gdm.metrics.bits_per_dim), labelled exact, bound or '
          f'estimate, NLL in nats per image in brackets. FID, KID, precision and recall: '
          f'{s["num_samples"]} samples against as many training images in the features of a '
          f'digits classifier (test accuracy {_num(clf["accuracy"])}). Sample time per image '
          f'in batches of {s["sample_batch"]}; train examples/s from the logged step times '
          f'(compile excluded). The compare took {report["wall_s"]:.0f} s of wall-clock time '
          f'in all.')


def write(workdir: str, report: dict) -> str:
  """Writes report.json, report.html and report.md into `workdir`; returns the html path."""
  with open(os.path.join(workdir, 'report.json'), 'w') as f:
    json.dump(report, f, indent=1)   # families in the table's order
  with open(os.path.join(workdir, 'report.md'), 'w') as f:
    f.write(markdown(report))
  path = os.path.join(workdir, 'report.html')
  with open(path, 'w') as f:
    f.write(page(report, summary(report)))
  return path
