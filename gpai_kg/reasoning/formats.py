"""The text of a description file, read without giving any parser the chance to blow up.

The limits are the input contract's (``contract.limits()``, from
``ontology/shapes-model.ttl``); each refusal is one ``UserError`` line.

- JSON and Turtle: ``check_nesting`` first (``gpai_kg.nesting``; Python's
  ``json`` and rdflib's parser recurse and raise ``RecursionError`` near 1 000);
- JSON: ``read_json`` keeps a number that must not be read as one (more than
  the contract's digits, beyond the largest xsd:double, ``NaN``,
  ``Infinity``) as a ``NumberText``, so the check of its key refuses it,
  naming the key; a key given twice is refused;
- YAML: ``read_yaml`` is PyYAML's safe loader made strict: ``true`` and
  ``false`` only are booleans (``yes``, ``no``, ``on``, ``NO`` stay text),
  numbers are decimal only, as YAML 1.2 writes them (``1e25`` and ``.inf``
  are numbers; no ``1:30`` read as 90, no ``0x``), no
  timestamps (a date is text for the date check; ``!!timestamp`` is refused),
  no tags but ``str``, ``int``, ``float``, ``bool``, ``null``, ``map``, ``seq``;
  at most the contract's nesting and aliases (the "billion laughs"); a key
  given twice is refused;
- Turtle: ``literal_value`` reads a literal by its datatype, exactly: an
  ``xsd:boolean`` is ``true``, ``false``, ``1`` or ``0`` (never ``"maybe"``,
  ``"2"`` or ``"TRUE"``: Oxigraph's parser keeps lexical forms as written), a
  date is an ``xsd:date`` (never an ``xsd:dateTime``), a number has a numeric
  datatype, a text is a string.
"""

from __future__ import annotations

import json
import re
from typing import Any

from gpai_kg import nesting
from gpai_kg.errors import UserError
from gpai_kg.reasoning.contract import InputKey, limits
from gpai_kg.reasoning.description import NumberText

_DIGITS = re.compile(r"[0-9]")


def check_nesting(text: str) -> None:
    cap = limits().nesting
    deep = nesting.too_deep(text, cap)
    if deep:
        raise UserError(f"nests more than {cap} levels deep at {deep.where} (the input contract's limit)")


def _number(text: str, read) -> Any:
    if len(_DIGITS.findall(text)) > limits().digits:
        return NumberText(text)
    value = read(text)
    return value if value == value and value not in (float("inf"), float("-inf")) else NumberText(text)


def _once(pairs: list[tuple[Any, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise UserError(f"key {json.dumps(key, ensure_ascii=False)[:80]} is given twice")
        out[key] = value
    return out


def read_json(text: str) -> Any:
    check_nesting(text)
    try:
        return json.loads(text, parse_int=lambda s: _number(s, int), parse_float=lambda s: _number(s, float),
                          parse_constant=NumberText, object_pairs_hook=_once)
    except json.JSONDecodeError as exc:
        raise UserError(f"not valid JSON: {exc}") from None


def _where(mark) -> str:
    return f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def _loader():
    import yaml
    from yaml.constructor import ConstructorError

    cap = limits()

    class Loader(yaml.SafeLoader):
        depth = 0
        aliases = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                self.aliases += 1
                if self.aliases > cap.yaml_aliases:
                    raise UserError(f"uses more than {cap.yaml_aliases} YAML aliases (*name)"
                                    f"{_where(self.peek_event().start_mark)} (the input contract's limit); "
                                    "write the values out")
            self.depth += 1
            if self.depth > cap.nesting:
                raise UserError(f"nests more than {cap.nesting} levels deep{_where(self.peek_event().start_mark)} "
                                "(the input contract's limit)")
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_mapping(self, node, deep=False):
            if isinstance(node, yaml.MappingNode):
                self.flatten_mapping(node)
                seen = set()
                for key_node, _ in node.value:
                    key = self.construct_object(key_node, deep=deep)
                    try:
                        twice = key in seen
                        seen.add(key)
                    except TypeError:
                        twice = False  # an unhashable key: the base class says so
                    if twice:
                        raise UserError(f"key {json.dumps(key, default=str, ensure_ascii=False)[:80]} is given "
                                        f"twice{_where(key_node.start_mark)}")
            return super().construct_mapping(node, deep)

    def integer(loader, node):
        text = loader.construct_scalar(node)
        if not re.fullmatch(r"[-+]?[0-9][0-9_]*", text):
            raise ConstructorError(None, None, f"{text!r} is not a decimal integer", node.start_mark)
        return _number(text, lambda s: int(s.replace("_", "")))

    def real(loader, node):
        text = loader.construct_scalar(node)
        try:
            return _number(text, lambda s: float(s.replace("_", "")))
        except ValueError:
            return NumberText(text)

    Loader.yaml_implicit_resolvers = {}
    for tag, pattern, first in (
            ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
            ("int", r"^[-+]?(?:0|[1-9][0-9_]*)$", "-+0123456789"),
            ("float", r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?$"
                      r"|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$", "-+0123456789."),
            ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])):
        Loader.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", re.compile(pattern), list(first))
    kept = {f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "str", "seq", "map")}
    Loader.yaml_constructors = {tag: f for tag, f in yaml.SafeLoader.yaml_constructors.items() if tag in kept}
    Loader.yaml_constructors[None] = yaml.SafeLoader.yaml_constructors[None]  # any other tag: refused
    Loader.add_constructor("tag:yaml.org,2002:int", integer)
    Loader.add_constructor("tag:yaml.org,2002:float", real)
    return Loader


def read_yaml(text: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 — a strict SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise UserError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}{_where(mark)}") from None


_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN")
_NUMERIC = {_XSD + t for t in ("integer", "decimal", "double", "float", "long", "int", "short", "byte",
                               "nonNegativeInteger", "positiveInteger", "unsignedLong", "unsignedInt",
                               "unsignedShort", "unsignedByte")}


def _shown(obj) -> str:
    text = str(obj)
    return text if len(text) <= 80 else text[:60] + "…" + text[-10:]


def literal_value(key: str, spec: InputKey, obj) -> Any:
    """The value of a Turtle object (a pyoxigraph term) for ``key``, read by its datatype exactly."""
    import pyoxigraph as ox

    if not isinstance(obj, ox.Literal):
        raise UserError(f"{key} must be a literal, got {_shown(obj)}")
    lexical, datatype = obj.value, obj.datatype.value
    if spec.kind == "bool":
        if datatype == _XSD + "boolean" and lexical in ("true", "false", "1", "0"):
            return lexical in ("true", "1")
        raise UserError(f"{key} must be an xsd:boolean, true or false, got {_shown(obj)}")
    if spec.kind == "date":
        if datatype == _XSD + "date":
            return lexical  # the description's date check reads the form YYYY-MM-DD
        raise UserError(f"{key} must be an xsd:date written YYYY-MM-DD, got {_shown(obj)}")
    if spec.kind in ("flop", "count"):
        if datatype in _NUMERIC and _XSD_NUMBER.fullmatch(lexical):
            return NumberText(lexical)
        raise UserError(f"{key} must be a number (xsd:double, xsd:decimal or xsd:integer), got {_shown(obj)}")
    if datatype == _XSD + "string" or obj.language:
        return lexical
    raise UserError(f"{key} must be a string, got {_shown(obj)}")
