"""``gpai-kg docs``: pyLODE's HTML page of the ontology names every class and
property with its label, shows its comment and the provision it comes from
(as a citation), has no dead in-page link and no duplicated HTML id, lists
each term once, is made the same way every time and is what the committed
``docs/ontology/index.html`` holds; a bad target fails in one line, exit 2.
"""

from __future__ import annotations

import html
import importlib.util
from collections import Counter
import subprocess
import sys
from functools import lru_cache

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from gpai_kg import paths
from gpai_kg.namespaces import GPAI
from gpai_kg.paths import ontology_files

if importlib.util.find_spec("pylode") is None:  # importing it bare trips over pyLODE 3.4's version file
    pytest.skip("gpai-kg docs needs pyLODE", allow_module_level=True)


@lru_cache(maxsize=1)
def page() -> str:
    from gpai_kg.publish.docs import ontology_html

    return html.unescape(ontology_html())


@lru_cache(maxsize=1)
def schema() -> Graph:
    g = Graph()
    for path in ontology_files():
        g.parse(path, format="turtle")
    return g


def _labelled(kinds) -> list[tuple[URIRef, str]]:
    g = schema()
    return sorted({(s, str(g.value(s, RDFS.label))) for k in kinds for s in g.subjects(RDF.type, k)
                   if isinstance(s, URIRef) and g.value(s, RDFS.label) and str(s).startswith(str(GPAI))})


def test_the_page_has_every_class_label():
    classes = _labelled([OWL.Class])
    assert len(classes) > 40
    missing = [(str(c), label) for c, label in classes if label not in page()]
    assert missing == []


def test_the_page_has_every_property_label():
    missing = [(str(p), label) for p, label in _labelled([OWL.ObjectProperty, OWL.DatatypeProperty,
                                                            OWL.AnnotationProperty]) if label not in page()]
    assert missing == []


def test_a_class_shows_its_comment_and_its_source_provision_as_a_citation():
    text = page()
    comment = str(schema().value(URIRef("https://w3id.org/gpai-kg/ontology#GeneralPurposeAIModel"), RDFS.comment))
    assert " ".join(comment.split()) in " ".join(text.split())
    start = text.index("https://w3id.org/gpai-kg/ontology#GeneralPurposeAIModel<")
    assert "Article 3(63)" in text[start:start + 6000]


def test_every_gpai_source_provision_is_shown_as_its_citation():
    from gpai_kg.citations import format_citation, from_iri

    sources = {o for o in schema().objects(None, DCTERMS.source)
               if str(o).startswith("http://data.europa.eu/eli/reg/2024/1689/")}
    assert sources
    assert [s for s in sources if format_citation(from_iri(s)) not in page()] == []


def test_the_page_is_titled_by_the_core_ontology_and_lists_the_other_modules():
    text = page()
    assert "<title>gpai-kg ontology: the EU AI Act's rules for general-purpose AI models</title>" in text
    assert "https://w3id.org/gpai-kg/ontology/alignments" in text


def _ids_and_links(text: str) -> tuple[Counter, list[str]]:
    from lxml import html as lhtml

    doc = lhtml.fromstring(text)
    ids = Counter(e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id") is not None)
    links = [a.get("href")[1:] for a in doc.iter("a") if (a.get("href") or "").startswith("#")]
    return ids, links


def test_the_page_has_no_dead_in_page_link_and_no_duplicated_id():
    from gpai_kg.publish.docs import ontology_html

    ids, links = _ids_and_links(ontology_html())
    assert {i: n for i, n in ids.items() if n > 1} == {}
    assert sorted({link for link in links if link not in ids}) == []
    assert len(links) > 300


def test_the_link_check_sees_a_dead_link_and_a_duplicated_id():
    """Control: the review's faults, planted, are found."""
    ids, links = _ids_and_links('<html><body><div id="asOf"></div><div id="asOf"></div>'
                                '<a href="#model">model</a></body></html>')
    assert ids["asOf"] == 2 and "model" not in ids and links == ["model"]


def test_each_term_is_listed_once_in_the_contents():
    from lxml import html as lhtml

    from gpai_kg.publish.docs import ontology_html

    toc = lhtml.fromstring(ontology_html()).get_element_by_id("toc")
    entries = Counter((a.text_content().strip(), a.getparent().getparent().getparent().findtext(".//h4/a"))
                      for a in toc.iter("a") if a.getparent().tag == "li" and a.getparent().getparent().tag == "ul"
                      and "second" in (a.getparent().getparent().get("class") or ""))
    assert entries and {e: n for e, n in entries.items() if n > 1} == {}
    names = Counter(name for name, _ in entries)
    assert names["AI Provider"] == names["General Purpose AI Model"] == 0, "other vocabularies' terms are not listed"


def test_the_committed_docs_are_what_gpai_kg_docs_makes_of_the_ontology(tmp_path):
    """Regenerated after every change of the ontology: gpai-kg docs --out docs/ontology."""
    from gpai_kg.publish.docs import write_docs

    made = write_docs(tmp_path).read_bytes()
    committed = (paths.ROOT / "docs" / "ontology" / "index.html").read_bytes()
    assert made == committed, "docs/ontology/index.html is stale: run gpai-kg docs --out docs/ontology"


def test_the_committed_example_is_a_pylode_page_of_the_ontology():
    committed = paths.ROOT / "docs" / "ontology" / "index.html"
    assert committed.is_file(), "docs/ontology/index.html missing; run gpai-kg docs --out docs/ontology"
    text = html.unescape(committed.read_text(encoding="utf-8"))
    assert "pyLODE" in text and "general-purpose AI model with systemic risk" in text


def test_cli_writes_index_html(tmp_path):
    out = tmp_path / "site"
    run = subprocess.run([sys.executable, "-m", "gpai_kg", "docs", "--out", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert "general-purpose AI model" in (out / "index.html").read_text(encoding="utf-8")
    assert "DEBUG" not in run.stderr and "INFO" not in run.stderr


@pytest.mark.parametrize("target", ["/proc/x", "/sys/x/y"])
def test_cli_bad_target_is_one_line_exit_2(tmp_path, target):
    run = subprocess.run([sys.executable, "-m", "gpai_kg", "docs", "--out", target], capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and target in run.stderr, run.stderr
