"""The SQLite database of a human evaluation (WORKDIR/human_eval.sqlite): sessions, their
trials in order, and one answer per trial. Opening checks the schema and changes nothing in
a database that is not one of ours; every write is one transaction."""
import os
import sqlite3
import time

FILE = 'human_eval.sqlite'
SCHEMA = {
    'sessions': ('id', 'rater', 'exposure_ms', 'started'),
    'trials': ('token', 'session', 'position', 'kind', 'run', 'image'),
    'answers': ('token', 'session', 'rater', 'truth', 'answer', 'response_ms', 'answered'),
}
CREATE = '''
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, rater TEXT NOT NULL,
    exposure_ms INTEGER NOT NULL, started REAL NOT NULL);
CREATE TABLE IF NOT EXISTS trials (token TEXT PRIMARY KEY, session TEXT NOT NULL,
    position INTEGER NOT NULL, kind TEXT NOT NULL, run TEXT NOT NULL, image INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS answers (token TEXT PRIMARY KEY REFERENCES trials(token),
    session TEXT NOT NULL, rater TEXT NOT NULL, truth TEXT NOT NULL, answer TEXT NOT NULL,
    response_ms REAL NOT NULL, answered REAL NOT NULL);
'''


class AnswerError(ValueError):
  """A submission that does not fit the session (twice, out of order, unknown trial)."""


def path_in(workdir: str) -> str:
  return os.path.join(workdir, FILE)


def open_store(path: str, create: bool = True) -> sqlite3.Connection:
  """The database at `path`; a one-line ValueError (and nothing changed) if the file is not a
  SQLite database of this schema."""
  exists = os.path.exists(path)
  if not exists and not create:
    raise ValueError(f'{path} does not exist: no one has rated this run yet')
  try:
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    tables = {name: [c[1] for c in db.execute(f'PRAGMA table_info({name})')]
              for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
  except sqlite3.DatabaseError as e:
    raise ValueError(f'{path} is not a human-evaluation database ({e}); move it aside to '
                     'start a new one') from None
  for name, columns in SCHEMA.items():
    if name in tables and tuple(tables[name]) != columns:
      raise ValueError(f'{path} is not a human-evaluation database: table {name!r} has '
                       f'columns {tables[name]}, expected {list(columns)}; move it aside')
  if exists and tables and not set(SCHEMA) <= set(tables):
    raise ValueError(f'{path} is not a human-evaluation database (tables {sorted(tables)})')
  db.executescript(CREATE)
  return db


def add_session(db, session: str, rater: str, exposure_ms: int, trials: list[tuple]):
  """trials: (token, kind, run, image) in the order they are shown."""
  with db:
    db.execute('BEGIN')
    db.execute('INSERT INTO sessions VALUES (?, ?, ?, ?)', (session, rater, exposure_ms,
                                                            time.time()))
    db.executemany('INSERT INTO trials VALUES (?, ?, ?, ?, ?, ?)',
                   [(t, session, i, k, r, n) for i, (t, k, r, n) in enumerate(trials)])


def next_trial(db, session: str):
  """(token, position, total) of the first unanswered trial, or None when done."""
  total = db.execute('SELECT COUNT(*) FROM trials WHERE session=?', (session,)).fetchone()[0]
  row = db.execute('SELECT t.token, t.position FROM trials t LEFT JOIN answers a ON '
                   'a.token = t.token WHERE t.session=? AND a.token IS NULL ORDER BY '
                   't.position LIMIT 1', (session,)).fetchone()
  return None if row is None else (row[0], row[1], total)


def trial(db, token: str):
  return db.execute('SELECT session, kind, run, image FROM trials WHERE token=?',
                    (token,)).fetchone()


def record_answer(db, session: str, rater: str, token: str, answer: str, response_ms: float):
  """One answer to the session's current trial; AnswerError otherwise (nothing written)."""
  if answer not in ('real', 'fake'):
    raise AnswerError(f'answer {answer!r} must be real or fake')
  row = trial(db, token)
  if row is None or row[0] != session:
    raise AnswerError('that image is not part of your session')
  with db:
    db.execute('BEGIN IMMEDIATE')
    if db.execute('SELECT 1 FROM answers WHERE token=?', (token,)).fetchone():
      raise AnswerError('that image was already answered; your first answer counts')
    current = next_trial(db, session)
    if current is None or current[0] != token:
      raise AnswerError('answers must come in the order the images are shown')
    truth = 'real' if row[1] == 'real' else 'fake'
    db.execute('INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)',
               (token, session, rater, truth, answer, float(response_ms), time.time()))


def all_answers(db):
  """[(rater, kind, run, truth, answer, response_ms)] of every answered trial."""
  return db.execute('SELECT a.rater, t.kind, t.run, a.truth, a.answer, a.response_ms FROM '
                    'answers a JOIN trials t ON t.token = a.token ORDER BY a.answered'
                    ).fetchall()
