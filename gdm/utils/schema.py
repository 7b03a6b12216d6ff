"""Typed config sections: frozen dataclasses built from config files, flags and config.json.

Config files and `--config.*` flags write plain values into an `ml_collections.ConfigDict`;
`parse(cls, values, 'model.')` turns a section into its dataclass, so that an unknown or
misspelled key, a value of the wrong type or a value out of range is a one-line ValueError
naming the dotted key (and the nearest valid key) before anything is loaded or compiled.

A section is a `@section` class (a frozen, keyword-only dataclass). Range checks live beside
the fields, in `__post_init__`, through `require` and `choice`: they name the field alone and
`parse` adds the section's path. Keys a mapping leaves out take the field defaults, so a
config.json written before a field existed still loads.
"""
import dataclasses
import difflib
import types
import typing
from typing import Any, Iterable, Mapping

section = dataclasses.dataclass(frozen=True, kw_only=True)


class FieldError(ValueError):
  """A section's own check failed on `field`. The message's KEY placeholder becomes the dotted
  key: the field alone when raised directly, `prefix + field` when raised inside `parse`."""
  PLACEHOLDER = '\x00key\x00'

  def __init__(self, field: str, template: str):
    self.field = field
    self.template = template
    super().__init__(self.at(''))

  def at(self, prefix: str) -> str:
    return self.template.replace(self.PLACEHOLDER, prefix + self.field)


def require(ok, field: str, value, message: str):
  """Raises FieldError "FIELD=VALUE MESSAGE" unless ok."""
  if not ok:
    raise FieldError(field, f'{FieldError.PLACEHOLDER}={value!r} {message}')


def choice(value, allowed: Iterable, field: str, what: str):
  """Raises FieldError "unknown WHAT 'VALUE' in FIELD; choose one of: ..." unless allowed."""
  allowed = list(allowed)
  if value not in allowed:
    raise FieldError(field, f'unknown {what} {value!r} in {FieldError.PLACEHOLDER}; choose one '
                     f'of: {", ".join(str(a) if a else repr(a) for a in allowed)}')


def _type_name(tp) -> str:
  if typing.get_origin(tp) is not None or isinstance(tp, types.UnionType):
    return str(tp).replace('typing.', '')
  return getattr(tp, '__name__', str(tp))


def _as_mapping(value) -> Mapping | None:
  if isinstance(value, Mapping):
    return value
  if hasattr(value, 'items') and hasattr(value, 'keys'):   # ConfigDict, FrozenConfigDict
    return dict(value.items())
  return None


class _Mismatch(Exception):
  pass


def _convert(value, tp, path: str, migrate: bool = False):
  """`value` as type `tp`, or _Mismatch; nested sections raise their own ValueErrors."""
  if tp is Any:
    return value
  origin = typing.get_origin(tp)
  if origin in (typing.Union, types.UnionType):
    for option in typing.get_args(tp):
      try:
        return _convert(value, option, path, migrate)
      except _Mismatch:
        continue
    raise _Mismatch
  if origin is tuple:
    if not isinstance(value, (tuple, list)):
      raise _Mismatch
    args = typing.get_args(tp)
    if len(args) == 2 and args[1] is Ellipsis:
      return tuple(_convert(v, args[0], path) for v in value)
    if len(args) != len(value):
      raise _Mismatch
    return tuple(_convert(v, a, path) for v, a in zip(value, args))
  if dataclasses.is_dataclass(tp):
    if isinstance(value, tp):
      return value
    mapping = _as_mapping(value)
    if mapping is None:
      raise _Mismatch
    return parse(tp, mapping, path + '.', migrate)
  if tp is type(None):
    if value is None:
      return None
    raise _Mismatch
  if tp is bool:
    if isinstance(value, bool):
      return value
    raise _Mismatch
  if tp is int:
    if isinstance(value, int) and not isinstance(value, bool):
      return value
    raise _Mismatch
  if tp is float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
      return float(value)
    raise _Mismatch
  if tp is str:
    if isinstance(value, str):
      return value
    raise _Mismatch
  raise TypeError(f'schema: unsupported field type {tp!r} at {path}')


def _moved(cls) -> dict[str, str]:
  """A section's `MOVED = {old key: new dotted key}` (ClassVar): keys that used to live here."""
  return getattr(cls, 'MOVED', {})


def _migrate(cls, mapping: Mapping) -> dict:
  """`mapping` with every moved key put where it lives now (for config.json of older runs):
  first the section's own `migrate_old(values) -> values` (for moves that depend on other
  values), then its MOVED table."""
  out = {k: (dict(_as_mapping(v)) if _as_mapping(v) is not None else v)
         for k, v in mapping.items()}
  if hasattr(cls, 'migrate_old'):
    out = cls.migrate_old(out)
  for old, new in _moved(cls).items():
    if old not in out:
      continue
    value = out.pop(old)
    *parents, leaf = new.split('.')
    node = out
    for part in parents:
      node = node.setdefault(part, {})
    node.setdefault(leaf, value)
  return out


def parse(cls, values, prefix: str = '', migrate: bool = False):
  """`values` (a mapping, ConfigDict or instance of cls) as a `cls` instance. `migrate`
  moves keys a section lists in MOVED to their new place (reading an older run's
  config.json); otherwise a moved key is an error that names where it went."""
  if isinstance(values, cls):
    return values
  mapping = _as_mapping(values)
  if mapping is None:
    raise ValueError(f'config key {prefix.rstrip(".")!r} must be a section, got {values!r}')
  if migrate:
    mapping = _migrate(cls, mapping)
  hints = typing.get_type_hints(cls)
  fields = [f.name for f in dataclasses.fields(cls) if f.init]
  kwargs = {}
  for key, value in mapping.items():
    if key in _moved(cls) and key not in fields:
      raise ValueError(f'config key {prefix + key!r} is now {prefix + _moved(cls)[key]!r}; '
                       f'set that instead')
    if key not in fields:
      close = difflib.get_close_matches(key, fields, n=1)
      hint = f'; did you mean {prefix}{close[0]}?' if close else ''
      raise ValueError(f'unknown config key {prefix + key!r}{hint} (known in '
                       f'{prefix.rstrip(".") or "the config"}: {", ".join(fields)})')
    try:
      kwargs[key] = _convert(value, hints[key], prefix + key, migrate)
    except _Mismatch:
      if dataclasses.is_dataclass(hints[key]):
        raise ValueError(f'config key {prefix + key!r} must be a section, got {value!r}') from None
      raise ValueError(f'config key {prefix + key!r} must be {_type_name(hints[key])}, got '
                       f'{value!r} ({type(value).__name__})') from None
  try:
    return cls(**kwargs)
  except FieldError as e:
    raise ValueError(e.at(prefix)) from None


def to_dict(instance) -> dict:
  """The section as nested plain dicts (tuples stay tuples), for a ConfigDict or JSON."""
  return dataclasses.asdict(instance)


def defaults(cls, prefix: str = '', /, **overrides) -> dict:
  """The defaults of `cls` with `overrides` applied, checked: a misspelled key or a bad value
  is an error here, in the config file that wrote it. Nested sections take dicts; `prefix`
  (e.g. 'model.') is where the section sits, for the messages."""
  merged = _merge(to_dict(cls()), overrides, prefix, cls)
  return to_dict(parse(cls, merged, prefix))


def _merge(base: dict, overrides: Mapping, prefix: str, cls) -> dict:
  out = dict(base)
  hints = typing.get_type_hints(cls)
  for key, value in overrides.items():
    if key not in base:
      parse(cls, {key: value}, prefix)    # raises the unknown-key error with a hint
    nested = hints[key]
    mapping = _as_mapping(value)
    if dataclasses.is_dataclass(nested) and mapping is not None:
      out[key] = _merge(base[key], mapping, f'{prefix}{key}.', nested)
    else:
      out[key] = value
  return out
