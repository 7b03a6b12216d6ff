"""`python -m experiments.compare` (experiments/compare.py is the launcher): every
generative family trained on the same digits for the same wall-clock budget and evaluated
the same way, in one table.

plan.py        the families: each one's stages (config files, links), likelihood labels
budget.py      steps per second on a few steps -> num_steps and the cadence it implies
stages.py      training a stage: its fitted config (stored), the data check, the loop
progress.py    DIR/compare.json: what is done, so a rerun continues
measure.py     the evaluation every family gets; the held-out data's own scores
likelihood.py  NLL and bits/dim rows, labelled exact / bound / estimate
figures.py     loss curves and the precision/recall scatter (matplotlib)
report.py      report.json, report.html (self-contained), report.md
runner.py      the order of it all, and the presets (full, --quick, --smoke)
"""
