"""Typed config sections: conversion, one-line errors with dotted keys, defaults."""
import json
from typing import ClassVar

import ml_collections
import pytest

from gdm.utils import schema
from gdm.utils.schema import FieldError, choice, require, section


@section
class Inner:
  rate: float = 0.5
  name: str = 'a'

  def __post_init__(self):
    require(self.rate > 0, 'rate', self.rate, 'must be > 0')
    choice(self.name, ('a', 'b'), 'name', 'inner name')


@section
class Outer:
  widths: tuple[int, ...] = (4, 8)
  pair: tuple[int, str] = (1, 'x')
  order: str | tuple[int, ...] = 'left'
  flag: bool = False
  inner: Inner = Inner()


def test_parse_converts_lists_ints_and_nested_sections():
  out = schema.parse(Outer, {'widths': [1, 2], 'order': [2, 1], 'inner': {'rate': 2}})
  assert out == Outer(widths=(1, 2), order=(2, 1), inner=Inner(rate=2.0))
  assert type(out.inner.rate) is float
  cd = ml_collections.ConfigDict(schema.to_dict(out))
  assert schema.parse(Outer, cd) == out
  assert schema.parse(Outer, json.loads(json.dumps(schema.to_dict(out)))) == out


@pytest.mark.parametrize('values, message', [
    ({'widht': 1}, "unknown config key 'm.widht'; did you mean m.widths?"),
    ({'inner': {'rat': 1.0}}, "unknown config key 'm.inner.rat'; did you mean m.inner.rate?"),
    ({'widths': (1, 'b')}, "config key 'm.widths' must be tuple[int, ...], got (1, 'b')"),
    ({'pair': (1, 2)}, "config key 'm.pair' must be tuple[int, str]"),
    ({'flag': 1}, "config key 'm.flag' must be bool, got 1 (int)"),
    ({'order': 3}, "config key 'm.order' must be str | tuple[int, ...], got 3 (int)"),
    ({'inner': 3}, "config key 'm.inner' must be a section, got 3"),
    ({'inner': {'rate': -1}}, 'm.inner.rate=-1.0 must be > 0'),
    ({'inner': {'name': 'c'}}, "unknown inner name 'c' in m.inner.name; choose one of: a, b"),
])
def test_errors_are_one_line_and_name_the_dotted_key(values, message):
  with pytest.raises(ValueError) as e:
    schema.parse(Outer, values, 'm.')
  assert message in str(e.value) and '\n' not in str(e.value), str(e.value)


def test_field_errors_outside_parse_name_the_field():
  with pytest.raises(FieldError, match=r'^rate=0.0 must be > 0$'):
    Inner(rate=0.0)


def test_defaults_check_overrides_where_they_are_written():
  assert schema.defaults(Outer, 'm.', flag=True, inner={'name': 'b'}) == {
      'widths': (4, 8), 'pair': (1, 'x'), 'order': 'left', 'flag': True,
      'inner': {'rate': 0.5, 'name': 'b'}}
  with pytest.raises(ValueError, match=r"'m.flga'; did you mean m.flag\?"):
    schema.defaults(Outer, 'm.', flga=True)
  with pytest.raises(ValueError, match=r"'m.inner.nam'; did you mean m.inner.name\?"):
    schema.defaults(Outer, 'm.', inner={'nam': 'b'})


@section
class Renamed:
  MOVED: ClassVar[dict] = {'old_rate': 'inner.rate', 'flg': 'flag'}
  flag: bool = False
  inner: Inner = Inner()


def test_moved_keys_name_their_new_place_and_migrate_from_old_runs():
  with pytest.raises(ValueError, match=r"^config key 'm.old_rate' is now 'm.inner.rate'; set "
                                       r"that instead$"):
    schema.parse(Renamed, {'old_rate': 2.0}, 'm.')
  old = {'old_rate': 2.0, 'flg': True, 'inner': {'name': 'b'}}
  assert schema.parse(Renamed, old, 'm.', migrate=True) == Renamed(
      flag=True, inner=Inner(rate=2.0, name='b'))
