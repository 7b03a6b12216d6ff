"""The one-line error every name check in gdm raises."""
from typing import Iterable


def check_choice(value, allowed: Iterable, what: str, where: str = ''):
  """Raises "unknown WHAT 'VALUE'[ in WHERE]; choose one of: A, B" unless value is allowed."""
  allowed = list(allowed)
  if value not in allowed:
    place = f' in {where}' if where else ''
    raise ValueError(f'unknown {what} {value!r}{place}; choose one of: '
                     f'{", ".join(str(a) if a else repr(a) for a in allowed)}')
