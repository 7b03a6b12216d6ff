"""`train.compile_ahead=True`: the train step compiled on a thread while the main thread
initialises or restores the state, so that the two compiles overlap instead of running one
after the other. Off by default: on 2 CPU cores it gains 1-57 s of a paper config's cold
start and nothing on a restart, and the test suite (two workers) ran no faster with it.

On CPU a paper-size model's init compiles for 12-43 s and its step for 15-100 s
(benchmarks/RESULTS.md, "Time to first step"); XLA releases the GIL while it compiles. The
step is lowered against the abstract state and the first call's batch shape; calls with a
batch of that shape go to the compiled executable directly (no second trace), any other
call (the shorter last call of a run, a resume that walked back to an older checkpoint) to
the jitted function as before. Only the batch is checked per call: the state and the key
keep their shapes from call to call. A failure on the thread is left for that jitted call
to raise with its usual message.
"""
import threading

import jax


class AheadOfTime:
  """A train step compiled on a thread; call it as the jitted step."""

  def __init__(self, jitted, abstract_args: tuple):
    self._jitted, self._abstract = jitted, abstract_args
    self._batch = _signature(abstract_args[1])
    self._compiled = None
    self._thread = threading.Thread(target=self._compile, name='compile-train-step',
                                    daemon=True)
    self._thread.start()

  def _compile(self):
    try:
      self._compiled = self._jitted.lower(*self._abstract).compile()
    except Exception:              # pylint: disable=broad-except
      self._compiled = None        # the jitted call raises it, with its own traceback

  def wait(self) -> 'AheadOfTime':
    self._thread.join()
    return self

  def _fits(self, args) -> bool:
    return _signature(args[1]) == self._batch

  def __call__(self, *args):
    self._thread.join()
    if self._compiled is not None and self._fits(args):
      return self._compiled(*args)
    return self._jitted(*args)


def _signature(batch: dict):
  return {name: (v.shape, v.dtype) for name, v in batch.items()}


def abstract_batch(local: dict, global_batch: int, steps: int, micro_batches: int) -> dict:
  """Shapes of a train call's global batch, leaves [steps, micro_batches, B, ...], from one
  local pipeline batch."""
  return {name: jax.ShapeDtypeStruct((steps, micro_batches, global_batch) + v.shape[1:],
                                     v.dtype) for name, v in local.items()}
