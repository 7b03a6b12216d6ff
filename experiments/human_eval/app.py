"""The rating web app (Flask): a first page with the protocol and the rater's id, then one
image at a time with Real / Fake buttons (keys R and F), shown for `exposure_ms` and then
masked (HYPE_time style) or until the answer (exposure_ms=0, HYPE_inf)."""
import secrets

import flask
import markupsafe
import numpy as np

from experiments.human_eval import stimuli, store

PAGE = '''<!doctype html><html><head><meta charset="utf-8"><title>Real or generated?</title>
<style>body{{font-family:sans-serif;max-width:40em;margin:2em auto;text-align:center}}
button{{font-size:1.3em;margin:0 1em;padding:.4em 1.2em}}
#frame{{width:256px;height:256px;margin:1em auto;background:#777}}
#frame img{{width:256px;height:256px;image-rendering:pixelated}}
.note{{color:#555}}</style></head><body>{body}</body></html>'''

INTRO = '''<h1>Real or generated?</h1>
<p>You will see {n} images, one at a time. Some are real photographs of the dataset, some were
made by a generative model. For each, answer <b>Real</b> or <b>Fake</b>.</p>
<p>{exposure}</p><p>Keys: <b>R</b> = real, <b>F</b> = fake. There is no going back; a few
images are obvious checks of attention.</p>
<form method="post" action="/start"><label>Your rater id:
<input name="rater" id="rater" required maxlength="40" autofocus></label>
<button type="submit" id="start">Start</button></form>'''

TRIAL = '''<p class="note">Image {pos} of {total}</p>
<div id="frame"><img id="stimulus" src="/image/{token}" alt=""></div>
<form method="post" action="/answer" id="answer-form">
<input type="hidden" name="token" value="{token}">
<input type="hidden" name="answer" id="answer"><input type="hidden" name="rt" id="rt">
<button type="button" id="real" onclick="send('real')">Real</button>
<button type="button" id="fake" onclick="send('fake')">Fake</button></form>
<script>
var shown = null, sent = false, exposure = {exposure_ms};
var img = document.getElementById('stimulus');
function start() {{
  shown = performance.now();
  if (exposure > 0) setTimeout(function() {{ img.style.visibility = 'hidden'; }}, exposure);
}}
if (img.complete) start(); else img.onload = start;
function send(a) {{
  if (sent || shown === null) return;
  sent = true;
  document.getElementById('answer').value = a;
  document.getElementById('rt').value = (performance.now() - shown).toFixed(1);
  document.getElementById('answer-form').submit();
}}
document.addEventListener('keydown', function(e) {{
  if (e.key === 'r' || e.key === 'R') send('real');
  if (e.key === 'f' || e.key === 'F') send('fake');
}});
</script>'''


def create_app(pool: stimuli.Pool, db, exposure_ms: int, per_kind: int, checks: int,
               seed: int = 0) -> flask.Flask:
  app = flask.Flask('gdm_human_eval')
  app.secret_key = secrets.token_bytes(32)
  rng = np.random.default_rng(seed)
  total = per_kind * (1 + len(pool.fakes)) + checks

  def page(body, status=200):
    return flask.Response(PAGE.format(body=body), status=status, mimetype='text/html')

  @app.get('/')
  def intro():
    exposure = (f'Each image is shown for {exposure_ms} ms.' if exposure_ms else
                'Take as long as you need for each image.')
    return page(INTRO.format(n=total, exposure=exposure))

  @app.post('/start')
  def start():
    rater = flask.request.form.get('rater', '').strip()
    if not rater:
      return page('<p>A rater id is needed. <a href="/">Back</a></p>', 400)
    session = secrets.token_urlsafe(12)
    store.add_session(db, session, rater, exposure_ms, stimuli.plan(pool, per_kind, checks,
                                                                    rng))
    flask.session.update(id=session, rater=rater)
    return flask.redirect('/trial')

  @app.get('/trial')
  def show():
    if 'id' not in flask.session:
      return flask.redirect('/')
    current = store.next_trial(db, flask.session['id'])
    if current is None:
      return page('<h1>Thank you</h1><p id="done">All answers are saved.</p>')
    token, position, count = current
    return page(TRIAL.format(token=token, pos=position + 1, total=count,
                             exposure_ms=exposure_ms))

  @app.get('/image/<token>')
  def image(token):
    row = store.trial(db, token)
    if row is None or row[0] != flask.session.get('id'):
      flask.abort(404)
    response = flask.Response(stimuli.png(stimuli.image(pool, *row[1:])), mimetype='image/png')
    response.headers['Cache-Control'] = 'no-store'
    return response

  @app.post('/answer')
  def answer():
    if 'id' not in flask.session:
      return flask.redirect('/')
    form = flask.request.form
    try:
      store.record_answer(db, flask.session['id'], flask.session['rater'],
                          form.get('token', ''), form.get('answer', ''),
                          float(form.get('rt') or 0.0))
    except (store.AnswerError, ValueError) as e:
      return page(f'<p id="error">Not recorded: {markupsafe.escape(str(e))}.</p>'
                  '<p><a href="/trial">Continue</a></p>', 409)
    return flask.redirect('/trial')

  return app
