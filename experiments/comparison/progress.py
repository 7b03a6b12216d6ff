"""DIR/compare.json: where a compare stands, so a rerun continues where it stopped.

  {"settings": {...},                       # what the numbers depend on; fixed at the start
   "stages": {NAME: {"config": {...},       # the fitted config the stage trains with
                     "steps_per_s": ..., "budget_s": ..., "trained": bool,
                     "train_wall_s": ...}},
   "families": {NAME: {"status": "trained" | "evaluated", "result": {...}}}}

Every change is written at once (to a temporary file, then renamed), so a compare killed at
any point leaves the last complete state.
"""
import json
import os

FILE = 'compare.json'
# Per family, in order: its stages are trained, then it is evaluated (its result stored).
TRAINED, EVALUATED = 'trained', 'evaluated'


class Progress:

  def __init__(self, workdir: str):
    self.path = os.path.join(workdir, FILE)
    self.data = {'settings': {}, 'stages': {}, 'families': {}}
    if os.path.exists(self.path):
      with open(self.path) as f:
        try:
          self.data = json.load(f)
        except json.JSONDecodeError as e:
          raise ValueError(f'{self.path} is not valid JSON ({e}); move it away to start '
                           'the compare again') from None

  def save(self):
    tmp = self.path + '.tmp'
    with open(tmp, 'w') as f:
      json.dump(self.data, f, indent=1, sort_keys=True)
    os.replace(tmp, self.path)

  def check_settings(self, settings: dict):
    """The first run fixes the settings; a rerun must ask for the same ones (otherwise the
    table would mix numbers measured differently)."""
    stored = self.data['settings']
    if not stored:
      self.data['settings'] = dict(settings)
      self.save()
      return
    for key, value in settings.items():
      if key in stored and stored[key] != value:
        raise ValueError(f'{os.path.dirname(self.path)} was started with {key}={stored[key]!r}'
                         f', this run asks for {value!r}: rerun with the same flags, or use '
                         'a new --workdir')

  def stage(self, name: str) -> dict:
    return self.data['stages'].setdefault(name, {})

  def update_stage(self, name: str, **values):
    self.stage(name).update(values)
    self.save()

  def status(self, family: str) -> str:
    return self.data['families'].get(family, {}).get('status', '')

  def result(self, family: str) -> dict | None:
    return self.data['families'].get(family, {}).get('result')

  def set_status(self, family: str, status: str, result: dict | None = None):
    entry = self.data['families'].setdefault(family, {})
    entry['status'] = status
    if result is not None:
      entry['result'] = result
    self.save()
