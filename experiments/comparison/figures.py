"""The report's plots, drawn with matplotlib (its object API: no pyplot state, no display)
and returned as PNG bytes to inline: every family's training loss curves, and precision
against recall of its samples."""
import io
import math

from matplotlib.figure import Figure

COLS = 4


def _png(fig: Figure) -> bytes:
  buffer = io.BytesIO()
  fig.savefig(buffer, format='png', dpi=90, bbox_inches='tight')
  return buffer.getvalue()


def loss_curves(results: dict) -> bytes:
  """One panel per family: each stage's logged train losses against the step."""
  names = list(results)
  rows = max(math.ceil(len(names) / COLS), 1)
  fig = Figure(figsize=(3.2 * COLS, 2.4 * rows), layout='constrained')
  for i, name in enumerate(names):
    ax = fig.add_subplot(rows, COLS, i + 1)
    for stage, numbers in results[name]['stages'].items():
      for key, points in numbers['curves'].items():
        label = key if len(results[name]['stages']) == 1 else f'{stage}: {key}'
        ax.plot([p[0] for p in points], [p[1] for p in points], label=label, lw=1.2)
    ax.set_title(name, fontsize=10)
    ax.set_xlabel('step', fontsize=8)
    ax.tick_params(labelsize=7)
    if ax.lines:
      ax.legend(fontsize=6)
  fig.suptitle('training loss', fontsize=11)
  return _png(fig)


def precision_recall(results: dict, reference: dict | None = None) -> bytes:
  """Each family's (recall, precision) of its samples in the domain features, and the
  held-out digits' (`reference`) as a star."""
  fig = Figure(figsize=(4.8, 4.2))
  ax = fig.add_subplot(1, 1, 1)
  if reference:
    ax.scatter([reference['recall']], [reference['precision']], s=90, marker='*', c='k')
    ax.annotate('test digits', (reference['recall'], reference['precision']),
                textcoords='offset points', xytext=(4, -10), fontsize=8)
  for name, result in results.items():
    s = result['samples']
    ax.scatter([s['recall']], [s['precision']], s=40)
    ax.annotate(name, (s['recall'], s['precision']), textcoords='offset points',
                xytext=(4, 4), fontsize=8)
  ax.set_xlim(-0.03, 1.03)
  ax.set_ylim(-0.03, 1.03)
  ax.set_xlabel('recall (coverage of the data)')
  ax.set_ylabel('precision (samples on the data manifold)')
  ax.grid(alpha=0.3)
  ax.set_title('precision / recall (domain features, k=3)', fontsize=10)
  return _png(fig)
