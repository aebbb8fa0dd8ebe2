"""Differential fuzzing of the guard against the engine (hypothesis, bounded).

Texts are built from the fragments on which lexers and Oxigraph disagree:
``<`` as IRI or "less than", strings holding ``<``, ``>`` or ``#``, comments
ended by CR, LF or CRLF, prefixed names with U+00B7, U+0301 or U+203F before
``\\#``, long strings, "service" inside names, strings and IRIs, and SERVICE
itself, glued by white space of every kind.

- SERVICE: the ground truth is the engine: run the text unwalled, in a
  forked child, and see whether the (control) listener got a request. Every
  text the engine sends out is refused by ``guard.check`` (soundness; the
  engine may skip a SERVICE after an empty join, so the property is one-way),
  and a text without a SERVICE fragment is not refused (precision);
- FROM: every graph the engine reads for an accepted query is one of ours
  (each candidate graph holds a marker triple), and queries naming only our
  graphs, however spelled, are accepted;
- nesting: the scan never counts less than the text really nests.

``FUZZ_EXAMPLES`` (default 500) bounds each property.
"""

from __future__ import annotations

import os
import signal

import pyoxigraph as ox
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from security_support import Listener

from gpai_kg import nesting
from gpai_kg.errors import UserError
from gpai_kg.sparql import guard, parser

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "500"))
BOUNDED = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))

FRAGMENTS = [
    "FILTER(?o<'a>')", "FILTER(?o!='')", "FILTER(?o < \"x>\")", "FILTER(?o != \"\")",
    "# c\r", "# c\n", "# c\r\n", "#",
    "VALUES ?x { e:a\u00b7\\# }", "VALUES ?x { e:a\u0301\\# }", "VALUES ?x { e:a\u203f\\# }",
    "VALUES ?x { e:a\\# }", "VALUES ?x { e:a }",
    "BIND('<' AS ?q)", "BIND(\"#\" AS ?r)", "BIND('''\n''' AS ?t)", "BIND(\"\"\"'''\"\"\" AS ?t2)",
    "?s ?p ?o .", "OPTIONAL { ?s ?p ?o }", "{ }", "MINUS { ?s ?p ?o }",
    "<http://x/#a> ?p ?o .", "?s ?p e:service .", "BIND(\"SERVICE <{url}> {{}}\" AS ?u)",
    "?service ?p ?o .", "?s <https://w3id.org/gpai-kg/PuttingIntoService> ?o .",
]
SERVICE = ["SERVICE <{url}> {{ }}", "SERVICE SILENT <{url}> {{ }}", "service <{url}> {{ }}",
           "SERVICE:sparql { }", "SeRvIcE <{url}> {{ ?a ?b ?c }}"]
SEPARATORS = [" ", "\n", "\r", "\t", "", "\r\n"]


def _service_texts(port: int):
    url = f"http://127.0.0.1:{port}/sparql"
    piece = st.sampled_from(FRAGMENTS + SERVICE)
    return st.lists(st.tuples(piece, st.sampled_from(SEPARATORS)), min_size=1, max_size=6).map(
        lambda parts: (f"PREFIX e: <http://e/> PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE {{ "
                       + "".join((p.format(url=url) if "{url}" in p else p) + s for p, s in parts) + " }",
                       any(p in SERVICE for p, _ in parts)))


def _engine_calls_out(text: str, lst: Listener) -> bool:
    before = len(lst.hits)
    pid = os.fork()
    if pid == 0:
        signal.alarm(5)
        try:
            store = ox.Store()
            store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))
            result = store.query(text)
            if not isinstance(result, ox.QueryBoolean):
                for _ in result:
                    pass
        except BaseException:  # noqa: BLE001
            pass
        os._exit(0)
    os.waitpid(pid, 0)
    return len(lst.hits) > before  # the listener records a request before it answers it


def _refusal(text: str) -> str | None:
    try:
        guard.check(text)
        return None
    except UserError as exc:
        return str(exc)


def test_the_guard_refuses_every_service_the_engine_would_call():
    lst = Listener()
    called = []
    try:
        @BOUNDED
        @given(_service_texts(lst.port))
        def prop(pair):
            text, has_service = pair
            assume(parser.valid(text))
            refusal = _refusal(text)
            if _engine_calls_out(text, lst):
                called.append(text)
                assert refusal and refusal.startswith("SERVICE"), f"the engine called out, the guard let it: {text!r}"
            if not has_service:
                assert refusal is None, f"refused without a SERVICE: {text!r}: {refusal}"

        prop()
    finally:
        lst.close()
    assert called, "no generated text made a request: the fuzz proves nothing"


# ------------------------------------------------------------------ FROM

OWN = "https://w3id.org/gpai-kg/graph/"
FOREIGN = "http://127.0.0.1:9/"
MARKED = [OWN + "act", OWN + "faq", FOREIGN + "x", FOREIGN + "act", FOREIGN + "faq", "https://w3id.org/evil",
          "https://w3id.org/gpai-kg/evil"]
BASES = {"": None, f"BASE <{OWN}>": OWN, f"BASE <{FOREIGN}>": FOREIGN}
# (spelling, meaning: an absolute IRI, or ("relative", name) resolved against the base)
TARGETS = [
    (f"<{OWN}act>", OWN + "act"), ("g:faq", OWN + "faq"), ("f:x", FOREIGN + "x"), (f"<{FOREIGN}x>", FOREIGN + "x"),
    ("<act>", ("relative", "act")), ("<faq>", ("relative", "faq")), ("<../evil>", ("relative", "../evil")),
    (f"<{OWN}\\u0061ct>", OWN + "act"), (f"<{OWN}../evil>", "https://w3id.org/gpai-kg/evil"),
    ("gg:evil", "https://w3id.org/gpai-kg/evil"),
]
GAPS = [" ", "\n", "\t", " # c\n ", " # c\r", "  "]
_STORE = ox.Store()
for _iri in MARKED:
    _STORE.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:marker"), ox.Literal(_iri), ox.NamedNode(_iri)))


def _meaning(meaning, base):
    if isinstance(meaning, str):
        return meaning
    if base is None:
        return None
    return {"act": base + "act", "faq": base + "faq", "../evil": "https://w3id.org/evil" if base == OWN
            else FOREIGN + "evil"}[meaning[1]]


@st.composite
def _from_texts(draw):
    base_decl = draw(st.sampled_from(list(BASES)))
    gap = draw(st.sampled_from(GAPS))
    clauses, meanings = [], []
    for spelling, meaning in draw(st.lists(st.sampled_from(TARGETS), min_size=1, max_size=3)):
        named = draw(st.booleans())
        clauses.append(f"FROM{gap}{'NAMED' + gap if named else ''}{spelling}")
        meanings.append(_meaning(meaning, BASES[base_decl]))
    text = (f"{base_decl}{gap}PREFIX g: <{OWN}>{gap}PREFIX f: <{FOREIGN}>{gap}PREFIX gg: <https://w3id.org/gpai-kg/>"
            f"{gap}SELECT ?m {gap.join(clauses)} WHERE {{ {{ ?s <urn:marker> ?m }} UNION "
            "{ GRAPH ?g { ?s <urn:marker> ?m } } }")
    plain_own = all(m is not None and m.startswith(OWN) for m in meanings) and "\\u" not in text
    return text, plain_own


def test_from_reads_only_our_graphs_whatever_the_spelling():
    @BOUNDED
    @given(_from_texts())
    def prop(pair):
        text, plain_own = pair
        assume(parser.valid(text))
        refusal = _refusal(text)
        if refusal is None:
            seen = {row["m"].value for row in _STORE.query(text)}
            assert seen and all(s.startswith(OWN) for s in seen), f"accepted, and read {seen}: {text!r}"
        elif plain_own:
            raise AssertionError(f"refused though it names only our graphs: {text!r}: {refusal}")

    prop()


# ------------------------------------------------------------------ nesting

_NOISE = ["?s ?p ?o .", "FILTER(?o<'a>')", "# ))}}]]\n", "# ((({{\r", "\"}}}\"", "'((('", "<http://e/{x}>",
          "?o < 3", "e:a\\#", "'''\n)))'''", "!?x", "BIND(\"]\" AS ?z)"]


@st.composite
def _nested(draw, depth=0):
    if depth >= 6 or draw(st.booleans()) and depth:
        noise = " ".join(draw(st.lists(st.sampled_from(_NOISE), max_size=3)))
        return noise, 0
    kind = draw(st.sampled_from(["group", "optional", "filter", "bang"]))
    inner, d = draw(_nested(depth + 1))
    if kind == "group":
        return f"{{ {inner} }}", d + 1
    if kind == "optional":
        return f"OPTIONAL {{ {inner} }}", d + 1
    k = draw(st.integers(1, 5))
    if kind == "filter":
        return f"FILTER({'(' * k}?o{')' * k}) {inner}", max(d, k + 1)
    return f"FILTER({'!' * k}?o) {inner}", max(d, k + 1)


def test_the_nesting_scan_never_counts_less_than_the_text_nests():
    @BOUNDED
    @given(_nested())
    def prop(pair):
        inner, depth = pair
        text = f"PREFIX e: <http://e/> SELECT * WHERE {{ {inner} }}"
        assert nesting.max_depth(text).depth >= depth + 1, text

    prop()
