"""``gpai-kg export``: every RDF serialisation parses back to the graph it came
from, TriG keeps the named graphs apart, JSON-LD survives pyld's expand and
compact, the RDF/XML ontology loads in owlready2 (and HermiT), the glossary
is a sound SKOS scheme (ontology/shapes-skos.ttl) whose hierarchy follows the
wording of Article 3, the graph says which text it holds and where it came
from, and a bad export fails in one line, exit 2, leaving nothing behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from functools import lru_cache

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from gpai_kg import paths
from gpai_kg.errors import UserError
from gpai_kg.files import write_atomic
from gpai_kg.namespaces import ACT_IRI, ELI, GKG, GRAPH
from gpai_kg.publish import rdf as export
from gpai_kg.publish.assessment_rdf import asserted_graph, inferred_graph
from gpai_kg.reasoning.terms import to_ox


def graph_names(ds: Dataset) -> list[str]:
    """The names of the non-empty named graphs of a dataset."""
    return sorted(str(g.identifier) for g in ds.graphs() if len(g) and isinstance(g.identifier, URIRef)
                  and g.identifier != URIRef("urn:x-rdflib:default"))

SMALL = ("ontology", "shapes", "glossary")
RDF_FORMATS = {"turtle": "turtle", "nt": "nt", "xml": "xml", "jsonld": "json-ld"}
SPDX = "http://spdx.org/rdf/terms#"


@lru_cache(maxsize=None)
def exported(what: str, fmt: str) -> bytes:
    return export.serialize(what, fmt)


@lru_cache(maxsize=None)
def source(what: str) -> Graph:
    return export.union(what)


def canonical(g: Graph) -> set:
    """The graph's triples with blank nodes renamed canonically (RDFC-1.0, Oxigraph)."""
    import pyoxigraph as ox

    ds = ox.Dataset(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in g)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in ds}


def same_graph(a: Graph, b: Graph) -> bool:
    """The same triples, blank nodes compared up to renaming (every literal in
    its exact lexical form: "0.3333333333333333"^^xsd:double must stay so)."""
    return len(a) == len(b) and canonical(a) == canonical(b)


# ------------------------------------------------------------------ round trips

@pytest.mark.parametrize("what, fmt", [(w, f) for w in (*SMALL, "all") for f in sorted(RDF_FORMATS)
                                       if (w, f) != ("all", "jsonld")])  # that one: pyld, below
def test_each_rdf_export_parses_back_to_the_graph_it_came_from(what, fmt):
    back = Graph().parse(data=exported(what, fmt), format=RDF_FORMATS[fmt])
    assert len(back) > 100
    assert same_graph(back, source(what)), f"{what} as {fmt} does not round-trip"


def _merged(quads) -> Graph:
    """Quads under one ontology header (gpai_kg.publish.headers), as one rdflib graph."""
    import pyoxigraph as ox

    from gpai_kg.publish.headers import merge_headers

    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in merge_headers(list(quads))}
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def test_graph_is_everything_the_store_holds_and_all_adds_the_shapes():
    from gpai_kg.store.dataset import load_store

    import pyoxigraph as ox

    store = load_store()
    assert same_graph(source("graph"), _merged(store))
    shapes = [ox.Quad(t.subject, t.predicate, t.object) for path in export.shape_files()
              for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    assert same_graph(source("all"), _merged([*store, *shapes]))


def test_every_export_has_one_ontology_header_and_no_import_of_a_module_it_holds():
    for what, root in (("ontology", "ontology"), ("graph", "ontology"), ("all", "ontology"), ("shapes", "shapes")):
        g = source(what)
        assert list(g.subjects(RDF.type, OWL.Ontology)) == [URIRef(f"https://w3id.org/gpai-kg/{root}")], what
        assert not list(g.objects(None, OWL.imports)), what
    g = source("ontology")
    model = URIRef("https://w3id.org/gpai-kg/ontology/model")
    assert g.value(model, RDFS.label) and (URIRef("https://w3id.org/gpai-kg/ontology"), RDFS.seeAlso, model) in g
    assert (GKG["definition/provider"], RDFS.label, Literal("provider (defined in Article 3(3))", lang="en")) in g


def test_trig_keeps_every_named_graph_apart_with_its_own_triples():
    ds = Dataset()
    ds.parse(data=exported("all", "trig"), format="trig")
    expected = export.named_graph_files("all")
    names = set(graph_names(ds))
    assert names == set(expected)
    for kind in ("ontology", "alignments", "law", "act", "versions", "amendments", "definitions", "faq",
                 "recital-links", "provenance", "shapes", "shapes-skos"):
        assert str(GRAPH[kind]) in names, kind
    # both versions of the Act travel with the export: Article 56(6) as published and as replaced
    versions = ds.graph(URIRef(GRAPH["versions"]))
    provision = URIRef("http://data.europa.eu/eli/reg/2024/1689/art_56/par_6/oj")
    members = sorted(str(v) for v in versions.objects(provision, URIRef("http://data.europa.eu/eli/ontology#has_member")))
    assert members == ["http://data.europa.eu/eli/reg/2024/1689/art_56/par_6/2024-08-01",
                       "http://data.europa.eu/eli/reg/2024/1689/art_56/par_6/2026-07-27"]
    import pyoxigraph as ox

    from gpai_kg.publish.headers import merge_headers

    raw = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri)) for iri, files in expected.items()
           for path in files for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    merged = merge_headers(raw)
    for iri in expected:
        want = Graph().parse(data=ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in merged
                                                if q.graph_name.value == iri], format=ox.RdfFormat.N_TRIPLES),
                             format="nt")
        got = ds.graph(URIRef(iri))
        assert len(got) == len(want), iri
        assert same_graph(got, want), iri


def test_trig_of_the_ontology_holds_only_the_ontology_modules():
    ds = Dataset()
    ds.parse(data=exported("ontology", "trig"), format="trig")
    assert str(GRAPH["ontology"]) in graph_names(ds)
    assert not {str(GRAPH[k]) for k in ("act", "law", "shapes")} & set(graph_names(ds))


# ------------------------------------------------------------------ JSON-LD

def test_jsonld_uses_the_published_context_with_readable_keys():
    doc = json.loads(exported("all", "jsonld"))
    published = json.loads((paths.ONTOLOGY_DIR / "context.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == published["@context"]
    article = next(n for n in doc["@graph"] if n["id"] == "aiact:art_53/par_1/pnt_a/oj")
    assert article["citation"] == "Article 53(1)(a)"
    assert article["isPartOf"] == "aiact:art_53/par_1/oj"
    assert article["text"].startswith("draw up and keep up-to-date the technical documentation")
    assert article["type"] == "gpai:Point"


@pytest.mark.parametrize("what", ["glossary", "all"])
def test_jsonld_expands_and_compacts_back_with_pyld_to_the_same_graph(what):
    from pyld import jsonld

    doc = json.loads(exported(what, "jsonld"))
    expanded = jsonld.expand(doc)
    compacted = jsonld.compact(expanded, {"@context": doc["@context"]})
    nquads = jsonld.to_rdf(compacted, {"format": "application/n-quads"})
    assert same_graph(Graph().parse(data=nquads, format="nquads"), source(what))


# ------------------------------------------------------------------ RDF/XML in OWL tools

def test_rdfxml_ontology_loads_in_owlready2_and_hermit_finds_it_consistent():
    owlready2 = pytest.importorskip("owlready2")
    world = owlready2.World()
    onto = world.get_ontology("https://w3id.org/gpai-kg/ontology").load(
        fileobj=io.BytesIO(exported("ontology", "xml")), format="rdfxml")
    labels = {c.iri for c in world.classes()}
    assert "https://w3id.org/gpai-kg/ontology#GeneralPurposeAIModelWithSystemicRisk" in labels
    if shutil.which("java") is None:
        pytest.skip("HermiT needs a Java runtime")
    with onto:
        owlready2.sync_reasoner_hermit(world, debug=0)
    assert list(world.inconsistent_classes()) == []


def test_the_ontology_export_carries_the_alignments_each_with_its_reason():
    g = source("ontology")
    external = ("https://w3id.org/dpv", "https://w3id.org/airo#", "http://data.europa.eu/eli/ontology#")
    alignments = Graph().parse(paths.ONTOLOGY_DIR / "alignments.ttl", format="turtle")
    mappings = (SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch, OWL.equivalentClass, RDFS.subClassOf)
    found = 0
    for p in mappings:
        for s, o in alignments.subject_objects(p):
            if str(o).startswith(external) and not str(s).startswith(external):
                found += 1
                assert (s, p, o) in g
                assert alignments.value(s, SKOS.note), f"{s} {p} {o}: no skos:note giving the reason"
    assert found >= 30
    assert (GKG["definition/general-purpose-ai-model"], SKOS.exactMatch,
            URIRef("https://w3id.org/dpv/legal/eu/aiact#GPAIModel")) in g


# ------------------------------------------------------------------ versioning

def test_every_ontology_module_has_a_version_iri_and_version_info():
    from gpai_kg.paths import ontology_files

    for path in [*ontology_files(), paths.ONTOLOGY_DIR / "shapes.ttl", paths.ONTOLOGY_DIR / "shapes-skos.ttl"]:
        g = Graph().parse(path, format="turtle")
        for onto in g.subjects(RDF.type, OWL.Ontology):
            assert g.value(onto, OWL.versionIRI), f"{path.name}: no owl:versionIRI"
            assert g.value(onto, OWL.versionInfo), f"{path.name}: no owl:versionInfo"


def test_the_graph_records_the_text_version_it_holds():
    g = Graph().parse(paths.GRAPH_DIR / "provenance.ttl", format="turtle")
    work, expression = URIRef(ACT_IRI), URIRef(ACT_IRI + "/eng")
    assert (work, ELI.is_realized_by, expression) in g
    assert g.value(expression, ELI.language) == URIRef("http://publications.europa.eu/resource/authority/language/ENG")
    assert g.value(expression, ELI.date_publication) == Literal("2024-07-12", datatype=XSD.date)
    assert (GRAPH["act"], PROV.wasDerivedFrom, expression) in g


def test_the_graph_says_where_it_came_from_with_the_sha256_of_each_source():
    g = Graph().parse(paths.GRAPH_DIR / "provenance.ttl", format="turtle")
    main = GKG["sources/ai-act/formex/L_202401689EN.000101.fmx.xml"]
    assert (GRAPH["act"], PROV.wasDerivedFrom, main) in g
    checked = 0
    for entity, checksum in g.subject_objects(URIRef(SPDX + "checksum")):
        local = str(entity).removeprefix(str(GKG))
        digest = hashlib.sha256((paths.DATA_DIR / local).read_bytes()).hexdigest()
        assert str(g.value(checksum, URIRef(SPDX + "checksumValue"))) == digest, local
        checked += 1
    assert checked >= 17
    for name in ("act", "definitions", "recital-links", "faq"):
        activity = g.value(GRAPH[name], PROV.wasGeneratedBy)
        assert activity is not None and (activity, RDF.type, PROV.Activity) in g
        assert g.value(GRAPH[name], PROV.generatedAtTime).toPython().isoformat().startswith("2026-07-08")


def test_the_build_is_dated_by_its_sources_not_by_the_clock(tmp_path):
    from gpai_kg.builder.provenance import build_date

    assert build_date(paths.SOURCES_DIR) == "2026-07-08"
    (tmp_path / "ai-act" / "formex").mkdir(parents=True)
    with pytest.raises(UserError, match="MANIFEST.json"):
        build_date(tmp_path)


# ------------------------------------------------------------------ the glossary

def _concept(term: str) -> URIRef:
    return GKG["definition/" + term]


def skos_violations(g: Graph) -> str:
    from pyshacl import validate

    shapes = Graph().parse(paths.ONTOLOGY_DIR / "shapes-skos.ttl", format="turtle")
    conforms, _, text = validate(g, shacl_graph=shapes, inference="none", advanced=True)
    return "" if conforms else text


def test_the_glossary_is_article_3_as_a_skos_scheme():
    g = source("glossary")
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == 70  # the 68 of the OJ text, and points (14a) and (14b) of Regulation (EU) 2026/1744
    gpai = _concept("general-purpose-ai-model")
    assert str(g.value(gpai, SKOS.prefLabel)) == "general-purpose AI model"
    assert str(g.value(gpai, SKOS.notation)) == "Article 3(63)"
    assert str(g.value(gpai, SKOS.definition)).startswith("‘general-purpose AI model’ means an AI model")
    assert str(g.value(gpai, URIRef("http://purl.org/dc/terms/source"))) == \
        "http://data.europa.eu/eli/reg/2024/1689/art_3/pnt_63/oj"


def test_the_glossary_passes_the_skos_integrity_shapes():
    assert skos_violations(source("glossary")) == ""


@pytest.mark.parametrize("damage, words", [
    (lambda g: g.add((_concept("provider"), SKOS.prefLabel, Literal("supplier", lang="en"))), "prefLabel"),
    (lambda g: [g.remove((_concept("deployer"), SKOS.prefLabel, None)),
                g.add((_concept("deployer"), SKOS.prefLabel, Literal("provider", lang="en")))], "prefLabel"),
    (lambda g: g.remove((_concept("risk"), SKOS.inScheme, None)), "inScheme"),
    (lambda g: [g.add((_concept("notified-body"), SKOS.related, _concept("conformity-assessment-body"))),
                g.add((_concept("conformity-assessment-body"), SKOS.related, _concept("notified-body")))], "S27"),
    (lambda g: [g.add((_concept("risk"), SKOS.broader, _concept("systemic-risk"))),
                g.add((_concept("systemic-risk"), SKOS.narrower, _concept("risk")))], "Cycle"),
], ids=["two prefLabels in one language", "prefLabel shared in the scheme", "no inScheme",
        "related and broader", "broader cycle"])
def test_a_damaged_glossary_is_caught_by_the_skos_shapes(damage, words):
    g = Graph() + source("glossary")
    damage(g)
    assert words in skos_violations(g)


@pytest.mark.parametrize("narrower, broader", [
    ("notified-body", "conformity-assessment-body"),        # 'notified body' means a conformity assessment body …
    ("systemic-risk", "risk"),                              # 'systemic risk' means a risk that is specific …
    ("general-purpose-ai-system", "ai-system"),             # … means an AI system which is based on …
    ("downstream-provider", "provider"),                    # … means a provider of an AI system …
    ("biometric-data", "personal-data"),                    # … means personal data resulting from …
    ("provider", "operator"),                               # 'operator' means a provider, product manufacturer, …
    ("notifying-authority", "national-competent-authority"),  # … means a notifying authority or a market …
    ("post-remote-biometric-identification-system", "remote-biometric-identification-system"),
])
def test_a_definition_drafted_as_a_kind_of_another_is_narrower_than_it(narrower, broader):
    g = source("glossary")
    assert (_concept(narrower), SKOS.broader, _concept(broader)) in g
    assert (_concept(broader), SKOS.narrower, _concept(narrower)) in g
    assert (_concept(narrower), SKOS.topConceptOf, None) not in g


@pytest.mark.parametrize("a, b", [
    ("general-purpose-ai-system", "general-purpose-ai-model"),  # 'GPAI system' … based on a GPAI model
    ("systemic-risk", "high-impact-capabilities"),
    ("systemic-risk", "general-purpose-ai-model"),
    ("high-impact-capabilities", "general-purpose-ai-model"),
    ("informed-consent", "subject"),                            # a subject's freely given … (not a genus)
])
def test_a_definition_that_uses_another_defined_term_is_related_to_it(a, b):
    g = source("glossary")
    assert (_concept(a), SKOS.related, _concept(b)) in g
    assert (_concept(b), SKOS.related, _concept(a)) in g


def test_a_definition_restating_an_external_one_is_not_a_kind_of_itself():
    g = source("glossary")
    for term in ("personal-data", "profiling", "critical-infrastructure", "harmonised-standard"):
        assert not set(g.objects(_concept(term), SKOS.broader)), term
    for term in ("profiling", "harmonised-standard"):  # and no other definition uses the term
        assert not set(g.objects(_concept(term), SKOS.related)), term


# ------------------------------------------------------------------ assessments

class _Run:
    """The shape of ``reasoner.Run``: what ``assessment_export`` needs."""

    assessment = "https://w3id.org/gpai-kg/id/assessment/example"
    asserted = [(URIRef("https://w3id.org/gpai-kg/id/model/example"), RDF.type,
                 URIRef("https://w3id.org/gpai-kg/ontology#AIModel"))]
    inferred = [(URIRef("https://w3id.org/gpai-kg/id/model/example"), RDF.type,
                 URIRef("https://w3id.org/gpai-kg/ontology#GeneralPurposeAIModel"))]


def test_an_assessment_trig_keeps_asserted_and_inferred_triples_in_separate_graphs():
    from gpai_kg.publish.assessment_rdf import assessment_bytes

    ds = Dataset()
    ds.parse(data=assessment_bytes(_Run(), "trig"), format="trig")
    assert graph_names(ds) == [_Run.assessment + "/asserted", _Run.assessment + "/inferred"]
    assert set(ds.graph(URIRef(_Run.assessment + "/inferred"))) == set(_Run.inferred)


def test_export_of_a_model_writes_its_assessment_asserted_and_inferred_apart(tmp_path):
    model = paths.ROOT / "examples" / "open-weights-model.yaml"
    try:
        from gpai_kg.reasoning.assessment import assess
        from gpai_kg.reasoning.model_files import load_description
    except ImportError:
        pytest.skip("gpai_kg.assess is not there")
    result = assess(load_description(model), "2026-09-01")
    out = tmp_path / "assessment.trig"
    run = run_cli("--model", str(model), "--as-of", "2026-09-01", "--format", "trig", "--out", str(out))
    assert run.returncode == 0, run.stderr
    ds = Dataset()
    ds.parse(out, format="trig")
    iri = result.run.assessment
    assert graph_names(ds) == [iri + "/asserted", iri + "/inferred"]
    assert same_graph(ds.graph(URIRef(iri + "/asserted")), asserted_graph(result))
    assert same_graph(ds.graph(URIRef(iri + "/inferred")), inferred_graph(result))
    assert run_cli("--model", str(model), "--what", "graph").returncode == 2


# ------------------------------------------------------------------ the command and its failures

def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gpai_kg", "export", *args], capture_output=True, text=True,
                          cwd=cwd)


def test_export_writes_to_stdout_without_out():
    run = run_cli("--what", "glossary", "--format", "nt")
    assert run.returncode == 0, run.stderr
    assert len(Graph().parse(data=run.stdout, format="nt")) == len(source("glossary"))


def test_export_writes_the_file_atomically_and_readably(tmp_path):
    out = tmp_path / "ontology.ttl"
    out.write_text("old", encoding="utf-8")
    run = run_cli("--what", "ontology", "--format", "turtle", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert same_graph(Graph().parse(out, format="turtle"), source("ontology"))
    assert os.stat(out).st_mode & 0o444 == 0o444
    assert [p.name for p in tmp_path.iterdir()] == ["ontology.ttl"]


@pytest.mark.parametrize("args, named", [
    (["--format", "docx"], "docx"),
    (["--what", "everything"], "everything"),
    (["--what", "ontology", "--format", "akn"], "akn"),
    (["--out", "/proc/x"], "/proc/x"),
    (["--out", "/sys/x/graph.ttl"], "/sys/x/graph.ttl"),
], ids=["unknown format", "unknown what", "akn of the ontology", "/proc", "missing directory"])
def test_a_bad_export_is_one_line_naming_it_exit_2(args, named):
    run = run_cli(*args)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and named in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""


def test_export_under_a_file_or_a_read_only_directory_fails_and_leaves_nothing(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    run = run_cli("--out", str(blocker / "graph.ttl"))
    assert run.returncode == 2 and str(blocker / "graph.ttl") in run.stderr
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if os.geteuid() != 0:  # root writes anywhere
            run = run_cli("--out", str(locked / "graph.ttl"))
            assert run.returncode == 2 and str(locked / "graph.ttl") in run.stderr
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def test_a_write_that_fails_midway_leaves_neither_temp_file_nor_half_a_file(tmp_path, monkeypatch):
    out = tmp_path / "graph.ttl"

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(UserError, match=r"cannot write .*graph\.ttl: No space left on device"):
        write_atomic(out, b"@prefix x: <urn:x#> .\n")
    assert list(tmp_path.iterdir()) == []
