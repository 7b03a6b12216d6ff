"""Human evaluation in a browser, HYPE-style: `python -m experiments.human_eval serve|report`
(see __main__.py)."""
