"""The law in time, as the built graph holds it: the versions of the Act and
of its provisions, Regulation (EU) 2026/1744 as a work of its own with each
change linked both ways, ``show --as-of``, ``changes`` and ``stats --as-of``,
and the fidelity of the consolidation to the two authentic texts."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from gpai_kg.citations import format_citation, from_iri, to_iri
from gpai_kg.namespaces import ACT_BASE
from gpai_kg.store.lookup import select
from gpai_kg.store.provision import show
from gpai_kg.store.versions import before_after, changes, versions

BEFORE, AFTER = date(2026, 7, 26), date(2026, 7, 27)
OMNIBUS = "Regulation (EU) 2026/1744"


def gpai_kg(*args):
    return subprocess.run([sys.executable, "-m", "gpai_kg", *args], capture_output=True, text=True)


def _iri(citation: str, every_index) -> str:
    return to_iri(every_index.resolve(citation))


# ------------------------------------------------------------------ versions

def test_the_act_has_two_versions_each_with_its_expression(store):
    rows = select(store, """SELECT ?v ?from ?until ?expression WHERE { ?v a gpai:ActVersion ;
        eli:first_date_entry_in_force ?from ; eli:is_realized_by ?expression .
        OPTIONAL { ?v eli:date_no_longer_in_force ?until } } ORDER BY ?from""")
    assert [(r["v"], r["from"], r.get("until"), r["expression"]) for r in rows] == [
        (ACT_BASE + "2024-08-01", "2024-08-01", "2026-07-26", ACT_BASE + "oj/eng"),
        (ACT_BASE + "2026-07-27", "2026-07-27", None, ACT_BASE + "2026-07-27/eng")]


def test_article_56_6_has_two_versions_and_keeps_its_iri(store, every_index):
    iri = _iri("Article 56(6)", every_index)
    assert iri == ACT_BASE + "art_56/par_6/oj"  # today's IRI: a contract, the same in every version
    found = versions(store, iri)
    assert [(v.iri, v.start, v.end) for v in found] == [
        (ACT_BASE + "art_56/par_6/2024-08-01", date(2024, 8, 1), BEFORE),
        (ACT_BASE + "art_56/par_6/2026-07-27", AFTER, None)]
    assert "by way of an implementing act, approve a code of practice" in found[0].text
    assert found[1].text.startswith("The Commission and the Board shall regularly monitor")


@pytest.mark.parametrize("citation", ["Article 4a", "Article 60a", "Article 75a", "Article 75b", "Article 75c",
                                      "Article 75d", "Article 2(13)", "Article 3(14a)", "Article 3(14b)",
                                      "Article 75(1a)", "Article 75(1e)", "Article 111(4)", "Annex XIV"])
def test_a_new_provision_has_citation_text_and_starts_on_27_july_2026(store, citation):
    info = show(store, citation, AFTER)
    assert info["citation"] == citation and info["text"]
    assert info["version"]["in_force_from"] == "2026-07-27"
    assert info["version"]["expression"] == ACT_BASE + "2026-07-27/eng"
    assert info["documentation_version"] is True
    assert [a["citation"] for a in info["authentic"]] == ["Regulation (EU) 2024/1689", OMNIBUS]
    kinds = {c["kind"] for c in info["amended_by"]}
    assert kinds & {"inserted", "added"}, info["amended_by"]


@pytest.mark.parametrize("citation", ["Annex I, Section A, point 1", "Annex VIII, Section B, point 7",
                                      "Annex VIII, Section B, point 9", "Article 10(5)"])
def test_a_deleted_provision_ends_on_26_july_2026(store, citation):
    info = show(store, citation, BEFORE)
    assert info["version"] == {"expression": ACT_BASE + "oj/eng", "in_force_from": "2024-08-01",
                               "in_force_until": "2026-07-26"}
    assert [(c["kind"], c["date"]) for c in info["amended_by"]] == [("deleted", "2026-07-27")]
    run = gpai_kg("show", citation, "--as-of", "2026-07-27")
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert "was in force from 2024-08-01 to 2026-07-26" in run.stderr and "deleted by" in run.stderr


def test_show_json_gains_version_amended_by_and_previous(store):
    info = json.loads(gpai_kg("show", "Article 56(6)", "--format", "json").stdout)  # today: 2026/1744 applies
    assert info["version"] == {"expression": ACT_BASE + "2026-07-27/eng", "in_force_from": "2026-07-27",
                               "in_force_until": None}
    (change,) = info["amended_by"]
    assert {k: change[k] for k in ("act", "point", "kind", "date")} == {
        "act": OMNIBUS, "point": f"{OMNIBUS}, Article 1, point (21)", "kind": "replaced", "date": "2026-07-27"}
    assert "by way of an implementing act, approve a code of practice" in info["previous"]
    earlier = json.loads(gpai_kg("show", "Article 56(6)", "--as-of", "2026-07-26", "--format", "json").stdout)
    assert earlier["text"] == info["previous"] and earlier["previous"] is None
    assert earlier["version"]["in_force_until"] == "2026-07-26" and "documentation_version" not in earlier
    assert earlier["parts"] == ["Article 56(6), first subparagraph", "Article 56(6), second subparagraph"]
    assert info["parts"] == [] and "Article 98(2)" in earlier["cites"] and "Article 98(2)" not in info["cites"]


def test_show_text_says_the_consolidation_is_a_documentation_version():
    run = gpai_kg("show", "Article 75(1)")
    assert run.returncode == 0
    assert "documentation version with no legal effect" in run.stdout.replace("\n", " ")
    assert "replaced by Regulation (EU) 2026/1744, Article 1, point (31)(b)" in run.stdout.replace("\n", " ")


def test_a_provision_not_yet_in_force_is_one_line_exit_2():
    run = gpai_kg("show", "Article 4a", "--as-of", "2026-01-01")
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert "not in force on 2026-01-01: it is in force from 2026-07-27 (inserted by Regulation (EU) 2026/1744, " \
           "Article 1, point (6))" in run.stderr


@pytest.mark.parametrize("args, words", [
    (("show", "Article 53", "--as-of", "2026-02-30"), "--as-of '2026-02-30' is not a valid date"),
    (("show", "Article 53", "--as-of", "yesterday"), "--as-of must be a date written YYYY-MM-DD"),
    (("changes", "--from", "2027-01-01", "--to", "2026-01-01"), "--from 2027-01-01 is after --to 2026-01-01"),
    (("changes", "--provision", "Article 999"), "Article 999"),
    (("stats", "--as-of", "2026-7-27"), "--as-of must be a date written YYYY-MM-DD"),
])
def test_bad_dates_and_citations_are_one_line_exit_2(args, words):
    run = gpai_kg(*args)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and words in run.stderr, run.stderr


# ------------------------------------------------------------------ changes

def test_changes_json_is_a_list_of_the_contract_keys():
    listed = json.loads(gpai_kg("changes", "--format", "json").stdout)
    assert len(listed) == 88
    for item in listed:
        assert {"provision", "kind", "act", "point", "date", "before", "after"} <= set(item)
        assert item["kind"] in ("replaced", "inserted", "added", "deleted") and item["act"] == OMNIBUS
    (p21,) = [c for c in listed if c["provision"] == "Article 56(6)"]
    assert p21["point"] == f"{OMNIBUS}, Article 1, point (21)" and p21["date"] == "2026-07-27"
    assert "implementing act" in p21["before"] and "implementing act" not in p21["after"]
    heading = [c for c in listed if c["provision"] == "Article 75" and c["part"] == "heading"]
    assert heading[0]["before"] == "Mutual assistance, market surveillance and control of general-purpose AI systems"
    assert heading[0]["after"] == "Market surveillance and control of AI systems and mutual assistance"
    assert json.loads(gpai_kg("changes", "--to", "2026-07-26", "--format", "json").stdout) == []


def test_changes_of_a_provision_and_the_word_diff():
    listed = json.loads(gpai_kg("changes", "--provision", "Chapter V", "--format", "json").stdout)
    assert [(c["provision"], c["kind"]) for c in listed] == [("Article 56(6)", "replaced")]
    text = gpai_kg("changes", "--provision", "Article 56(6)").stdout
    assert "Article 56(6) — replaced by Regulation (EU) 2026/1744, Article 1, point (21)" in text
    assert "The AI Office Commission and the Board" in text  # deleted and inserted words side by side


def test_every_instruction_is_a_change_at_the_most_specific_level(store, placements):
    ours = sorted((format_citation(t), p.point.citation) for p in placements for t in p.targets)
    graph = sorted((c.provision, c.point) for c in changes(store))
    assert graph == ours and len(graph) == 88


# ------------------------------------------------------------------ the amending act as a work

def test_regulation_2026_1744_is_a_work_with_its_title_recitals_and_articles(store, omnibus):
    rows = select(store, """SELECT ?iri ?title ?celex ?published ?inForce WHERE { ?iri a gpai:AmendingAct ;
        eli:title ?title ; gpai:celex ?celex ; eli:date_publication ?published ;
        eli:first_date_entry_in_force ?inForce ; eli:amends ?act }""", iri=omnibus.eli)
    assert rows[0]["title"] == omnibus.title and rows[0]["celex"] == "32026R1744"
    assert (rows[0]["published"], rows[0]["inForce"]) == ("2026-07-24", "2026-07-27")
    parts = select(store, """SELECT ?iri ?x ?c ?t WHERE { ?x eli:is_part_of ?iri ; gpai:citation ?c ;
        gpai:text ?t }""", iri=omnibus.eli)
    citations = {r["c"] for r in parts}
    assert {f"{OMNIBUS}, Recital {n}" for n in range(1, 48)} <= citations
    assert {f"{OMNIBUS}, Article {n}" for n in range(1, 5)} <= citations
    article_4 = next(r["t"] for r in parts if r["c"] == f"{OMNIBUS}, Article 4")
    assert article_4.startswith("This Regulation shall enter into force on the third day following that of its "
                                "publication")


def test_each_point_is_citable_and_linked_both_ways(store):
    point = "http://data.europa.eu/eli/reg/2026/1744/art_1/pnt_21/oj"
    rows = select(store, """SELECT ?iri ?c ?instruction ?target WHERE { ?iri gpai:citation ?c ;
        gpai:instruction ?instruction ; eli:amends ?target . ?target eli:amended_by ?iri }""", iri=point)
    assert [(r["c"], r["instruction"], r["target"]) for r in rows] == [
        (f"{OMNIBUS}, Article 1, point (21)", "in Article 56, paragraph 6 is replaced by the following:",
         ACT_BASE + "art_56/par_6/oj")]
    sub = select(store, "SELECT ?iri ?c WHERE { ?iri gpai:citation ?c }",
                 iri="http://data.europa.eu/eli/reg/2026/1744/art_1/pnt_22/pnt_a/oj")
    assert sub[0]["c"] == f"{OMNIBUS}, Article 1, point (22)(a)"


# ------------------------------------------------------------------ stats per version

def test_stats_counts_each_version():
    oj = json.loads(gpai_kg("stats", "--format", "json", "--as-of", "2026-07-26").stdout)
    amended = json.loads(gpai_kg("stats", "--format", "json", "--as-of", "2026-07-27").stdout)
    assert (oj["articles"], oj["annexes"], amended["articles"], amended["annexes"]) == (113, 13, 119, 14)
    assert (oj["recitals"], amended["recitals"]) == (180, 180)
    assert amended["paragraphs"] > oj["paragraphs"] and amended["definitions"] == oj["definitions"] + 2


# ------------------------------------------------------------------ fidelity

def test_every_untouched_provision_equals_the_original(store, act, amended):
    """A provision no change touches has one text, from the OJ, and it is the OJ's."""
    original = {p.path: p for p in act.provisions()}
    single = select(store, """SELECT ?p ?t WHERE { ?p gpai:citation ?c ; gpai:text ?t ;
        eli:first_date_entry_in_force "2024-08-01"^^xsd:date . FILTER NOT EXISTS { ?p eli:has_member ?v }
        FILTER NOT EXISTS { ?p eli:date_no_longer_in_force ?u } FILTER(STRSTARTS(STR(?p), STR(aiact:))) }""")
    assert len(single) > 1400
    index = amended.index()
    for row in single:
        path = from_iri(row["p"])
        assert row["t"] == original[path].text == index[path].text, format_citation(path)


def test_every_amended_provision_equals_the_text_2026_1744_quotes(store, placements):
    """After each replacement or insertion, the graph's text of the provision is the quoted text."""
    quoted = {(p.point.citation, format_citation(n.path)): n.text for p in placements for n in p.new}
    checked = 0
    for c in changes(store):
        if c.kind == "deleted" or c.part:  # deletions have no text after; headings and intros are parts
            continue
        assert before_after(store, c)[1] == quoted[(c.point, c.provision)], c.provision
        checked += 1
    assert checked == 81


def test_every_reference_of_the_new_text_resolves_to_a_provision_in_force_that_day(store):
    rows = select(store, """SELECT ?v ?target WHERE {
        { ?v a gpai:ProvisionVersion ; eli:first_date_entry_in_force "2026-07-27"^^xsd:date ; eli:cites ?target }
        UNION { ?v gpai:citation ?c ; eli:first_date_entry_in_force "2026-07-27"^^xsd:date ; eli:cites ?target }
        FILTER (STRSTARTS(STR(?target), STR(aiact:))) }""")
    assert len(rows) > 300
    for row in rows:
        found = versions(store, row["target"])
        assert any(v.in_force(AFTER) for v in found), (row["v"], row["target"])


def test_the_one_unresolved_reference_of_the_amended_text_is_the_laws_own():
    """Article 49(4), first subparagraph, point (b), untouched, still names point 9 of Annex VIII, Section B,
    which Regulation (EU) 2026/1744, Article 1, point (42), deletes: a dangling reference in the law itself,
    reported, not invented away."""
    from gpai_kg import paths

    report = json.loads((paths.GRAPH_DIR / "build-report.json").read_text(encoding="utf-8"))
    assert report["versions"]["oj"]["cross_references"]["unresolved"] == []
    assert report["versions"]["2026-07-27"]["cross_references"]["unresolved"] == [
        ["Article 49(4), first subparagraph, point (b)",
         "Section B, points 1 to 5, and points 8 and 9 of Annex VIII"]]
    assert report["amendments"][OMNIBUS] == {"points": 43, "points_applied": 43, "instructions": 72,
                                             "instructions_applied": 72, "changes": 88}
    check = report["consolidation_check"]["2026-07-27"]
    assert (check["compared"], check["equal"], len(check["differences"])) == (1609, 1603, 6)


def test_every_new_or_ended_provision_is_explained_by_a_change(store):
    """A provision that entered into force after the Act did was inserted (itself, a provision above it
    or one beside it, by a change effective that day); one no longer in force was ended by a change of it
    or of a provision above it."""
    made = [(from_iri(c.provision_iri), c.date) for c in changes(store)]
    rows = select(store, """SELECT ?p ?from ?until WHERE { ?p gpai:citation ?c ; eli:first_date_entry_in_force ?from .
        OPTIONAL { ?p eli:date_no_longer_in_force ?until } FILTER(STRSTARTS(STR(?p), STR(aiact:))) }""")
    for row in rows:
        path = from_iri(row["p"])
        if row["from"] > "2024-08-01":
            assert any(day.isoformat() == row["from"] and (path[:len(t)] == t or t[:-1] == path[:-1])
                       for t, day in made), format_citation(path)
        if "until" in row:
            assert any(day.isoformat() > row["until"] and path[:len(t)] == t for t, day in made), \
                format_citation(path)


def test_recital_table_and_qa_links_work_on_both_versions(store):
    links = select(store, "SELECT ?r ?p WHERE { ?r gpai:explains ?p }")
    for day in (BEFORE, AFTER):
        in_force = [r for r in links if any(v.in_force(day) for v in versions(store, r["p"]))]
        assert len(in_force) >= len(links) - 2, day
    discussed = {r["p"] for r in select(store, "SELECT ?q ?p WHERE { ?q gpai:discusses ?p }")}
    assert discussed
    for iri in discussed:
        assert any(v.in_force(AFTER) for v in versions(store, iri)), iri
    for day in (BEFORE, AFTER):
        for iri in sorted(discussed):
            assert show(store, format_citation(from_iri(iri)), day)["discussed_in"], (iri, day)
        assert show(store, "Article 53(2)", day)["explained_by"] == ["Recital 102", "Recital 103", "Recital 104"]


def test_the_laid_out_text_is_the_one_in_force_on_the_date(store):
    """Explore lays a provision out (``browse.outline``) with the parts and texts in force on the chosen date."""
    from gpai_kg.store import browse
    from gpai_kg.ui import provision_text

    art_56, art_10 = f"{ACT_BASE}art_56/oj", f"{ACT_BASE}art_10/oj"

    def html(iri: str, day: date) -> str:
        return provision_text.layout(provision_text.build(iri, *browse.outline(store, iri, day)))

    before, after = html(art_56, date(2026, 7, 26)), html(art_56, date(2026, 7, 27))
    assert "by way of an implementing act, approve a code of practice" in before and "utmost account" not in before
    assert "taking utmost account of the opinion of the Board" in after and "implementing act, approve" not in after
    parts = {day: [c for _, _, _, c, _ in browse.outline(store, art_10, day)[1][art_10]]
             for day in (date(2026, 7, 26), date(2026, 7, 27))}
    assert "Article 10(5)" in parts[date(2026, 7, 26)] and "Article 10(5)" not in parts[date(2026, 7, 27)]
