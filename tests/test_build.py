"""``gpai-kg build``: deterministic output, SHACL-checked, atomic, clear errors on bad sources."""

import shutil
import subprocess
import sys

import pytest

from gpai_kg import paths
from gpai_kg.builder.pipeline import build
from gpai_kg.errors import UserError


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("graph") / "graph"
    build(out)
    return out


def test_two_builds_are_byte_identical(built, tmp_path):
    again = tmp_path / "graph"
    build(again, check=False)
    names = sorted(p.name for p in built.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    for name in names:
        assert (built / name).read_bytes() == (again / name).read_bytes(), name


def test_committed_graph_is_what_the_build_makes(built):
    """The committed data/graph is up to date with the sources and the code."""
    for path in built.iterdir():
        committed = paths.GRAPH_DIR / path.name
        assert committed.is_file(), f"{path.name} not committed; run gpai-kg build"
        assert committed.read_bytes() == path.read_bytes(), f"{path.name} is stale; run gpai-kg build"


def _sources_copy(tmp_path):
    copy = tmp_path / "sources"
    shutil.copytree(paths.SOURCES_DIR, copy)
    return copy


def _assert_previous_kept(out, before):
    assert sorted(p.name for p in out.iterdir()) == sorted(before)
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}")]


@pytest.mark.parametrize("damage, expected", [
    (lambda s: (s / "ai-act/formex/L_202401689EN.000101.fmx.xml").unlink(),
     r"L_202401689EN\.000101\.fmx\.xml: source file missing"),
    (lambda s: (s / "ai-act/formex/L_202401689EN.014101.fmx.xml").write_text("<ANNEX><TITLE>", encoding="utf-8"),
     r"L_202401689EN\.014101\.fmx\.xml: not well-formed Formex XML"),
    (lambda s: (s / "ai-act/formex/L_202401689EN.014401.fmx.xml").write_text(
        "<ANNEX><TITLE><TI><P>APPENDIX</P></TI></TITLE></ANNEX>", encoding="utf-8"),
     r"L_202401689EN\.014401\.fmx\.xml: ANNEX without an 'ANNEX <roman>' title"),
    (lambda s: (s / "faq/gpai-faq.txt").unlink(), r"gpai-faq\.txt"),
])
def test_bad_source_names_file_and_element_and_keeps_previous_graph(built, tmp_path, damage, expected):
    sources = _sources_copy(tmp_path)
    damage(sources)
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = [p.name for p in out.iterdir()]
    with pytest.raises(UserError, match=expected):
        build(out, sources=sources)
    _assert_previous_kept(out, before)


def test_cli_bad_source_is_one_line_and_non_zero(tmp_path):
    sources = _sources_copy(tmp_path)
    (sources / "ai-act/formex/L_202401689EN.000101.fmx.xml").write_text("<ACT>", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "gpai_kg", "build", "--sources", str(sources),
                          "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert run.returncode != 0
    assert run.stderr.count("\n") == 1 and "L_202401689EN.000101.fmx.xml" in run.stderr
    assert "Traceback" not in run.stderr


def test_build_report_counts_cross_references(built):
    import json

    report = json.loads((built / "build-report.json").read_text(encoding="utf-8"))
    refs = report["cross_references"]
    assert refs["phrases"] > 1000
    assert refs["resolved"] == refs["phrases"] - len(refs["unresolved"])
    assert report["counts"]["article"] == 113


def test_within_is_the_reflexive_transitive_closure_of_is_part_of():
    """gpai:within, written out so that queries need no property path, is exactly eli:is_part_of*."""
    from gpai_kg.store.dataset import load_store

    prologue = "PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX gpai: <https://w3id.org/gpai-kg/ontology#> "
    store = load_store()

    def pairs(pattern: str) -> set[tuple[str, str]]:
        return {(str(s["x"]), str(s["y"])) for s in store.query(prologue + f"SELECT ?x ?y WHERE {{ {pattern} }}",
                                                                use_default_graph_as_union=True)}

    closure = pairs("?x gpai:within ?y")
    assert closure == pairs("?x eli:is_part_of* ?y . { ?x eli:is_part_of ?z } UNION { ?x eli:has_part ?z }")
    article_53_1_a = "<http://data.europa.eu/eli/reg/2024/1689/art_53/par_1/pnt_a/oj>"
    assert {y for x, y in closure if x == article_53_1_a} == {
        f"<http://data.europa.eu/eli/reg/2024/1689/{p}oj>" for p in
        ("art_53/par_1/pnt_a/", "art_53/par_1/", "art_53/", "cpt_V/sct_2/", "cpt_V/", "")}
