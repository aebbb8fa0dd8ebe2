"""A query's SPARQL algebra, parsed once by rdflib and kept on disk as JSON.

The compiler reads it as ``Node``s, read back from that JSON, cache or no
cache: rdflib's SPARQL engine (a sixth of a second to import: its grammar)
is imported only to parse a query not in the cache."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile

import rdflib
from rdflib import BNode as RdflibBNode
from rdflib import Literal as RdflibLiteral
from rdflib import URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

from gpai_kg.reasoning.compiled.terms import Unsupported

_FORMAT = 1  # of the algebra's JSON: bump when it changes


class Node(dict):
    """A node of the algebra (rdflib's ``CompValue``, read back): its ``name``, and its fields as
    items and as attributes (``None`` for a field it has not)."""

    def __init__(self, name: str, **fields):
        super().__init__(fields)
        self.name = name

    def __getattr__(self, field: str):
        try:
            return self[field]
        except KeyError:
            return None


def algebra(text: str) -> Node:
    """A query's SPARQL algebra: rdflib's parse (about 20 ms a rule: more than
    a second for the catalogue), or the JSON of it kept in the on-disk cache
    of the closed law (``gpai_kg.reasoning.law.cache_dir``), keyed by the
    query's text and rdflib's version. A cache file that does not read back
    is parsed again."""
    from gpai_kg.reasoning.law import cache_dir

    directory = cache_dir()
    key = hashlib.sha256(f"rule-algebra/{_FORMAT}/rdflib-{rdflib.__version__}\0{text}".encode()).hexdigest()[:32]
    target = directory / f"rule-algebra-{key}.json" if directory else None
    if target is not None and target.is_file():
        try:
            return _from_json(json.loads(target.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # damaged: parse again, and write it anew
    from rdflib.plugins.sparql import prepareQuery

    written = _to_json(prepareQuery(text).algebra)
    if target is not None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".rule-algebra-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(written, fh)
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only cache: parse again next time
    return _from_json(written)


def _to_json(x):
    """The algebra as JSON: a node ``{"#": name, field: ...}``, a term tagged by its kind."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(x, CompValue):  # rdflib sets some fields as attributes (an EXISTS's translated pattern)
        names = [*x.keys(), *(k for k in vars(x) if k not in ("name", "ctx") and not k.startswith("_"))]
        return {"#": x.name, **{k: _to_json(getattr(x, k)) for k in dict.fromkeys(names) if k != "_vars"}}
    if isinstance(x, Variable):
        return {"?": str(x)}
    if isinstance(x, URIRef):
        return {"<": str(x)}
    if isinstance(x, RdflibLiteral):
        return {"'": str(x), "dt": str(x.datatype) if x.datatype else None, "lang": x.language}
    if isinstance(x, RdflibBNode):
        return {"_": str(x)}
    if isinstance(x, SequencePath | AlternativePath):
        return {"/" if isinstance(x, SequencePath) else "|": [_to_json(a) for a in x.args]}
    if isinstance(x, MulPath):
        return {"*": _to_json(x.path), "mod": x.mod}
    if isinstance(x, InvPath):
        return {"^": _to_json(x.arg)}
    if isinstance(x, dict):  # a row of VALUES: variable -> term
        return {"{}": [[_to_json(k), _to_json(v)] for k, v in x.items()]}
    if isinstance(x, list | tuple):
        return [_to_json(v) for v in x]
    if x is None or isinstance(x, str | int | float):
        return x
    raise Unsupported(f"the algebra holds a {type(x).__name__}")


def _from_json(x):
    if isinstance(x, list):
        return [_from_json(v) for v in x]
    if not isinstance(x, dict):
        return x
    if "#" in x:
        return Node(x["#"], **{k: _from_json(v) for k, v in x.items() if k != "#"})
    if "?" in x:
        return Variable(x["?"])
    if "<" in x:
        return URIRef(x["<"])
    if "'" in x:
        return RdflibLiteral(x["'"], datatype=x["dt"], lang=x["lang"])
    if "_" in x:
        return RdflibBNode(x["_"])
    if "/" in x:
        return SequencePath(*(_from_json(a) for a in x["/"]))
    if "|" in x:
        return AlternativePath(*(_from_json(a) for a in x["|"]))
    if "*" in x:
        return MulPath(_from_json(x["*"]), x["mod"])
    if "^" in x:
        return InvPath(_from_json(x["^"]))
    return {_from_json(k): _from_json(v) for k, v in x["{}"]}


