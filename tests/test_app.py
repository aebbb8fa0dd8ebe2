"""The Streamlit app, driven headless by ``streamlit.testing.v1.AppTest``.

Every page renders without an exception; the assessment of a frontier model
lists the obligations of Articles 52 to 55; bad input (a malformed upload, an
impossible value, a refused or broken query, an unknown citation) ends in one
line in an error box while the rest of the page keeps working.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gpai_kg.sparql import canned
from gpai_kg.ui import PAGES
from gpai_kg.ui.sparql_page import EXAMPLES_DIR

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 60


def open_page(module: str | None = None) -> AppTest:
    """The app, run once, then switched to ``module`` (a file of gpai_kg/ui/)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    if module:
        at.switch_page(f"gpai_kg/ui/{module}").run()
    return at


def shown(markdown_source: str) -> str:
    """What Markdown shows of a text: its backslash escapes (CommonMark) undone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown_source)


def errors(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error]


def markdown(at: AppTest) -> str:
    return "\n".join(shown(m.value) for m in at.markdown)


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# ------------------------------------------------------------------ every page

@pytest.mark.parametrize("module, title", [(m, t) for m, _, t, _ in PAGES])
def test_every_page_renders_without_an_exception(module, title):
    at = open_page(module)
    no_exception(at)
    assert not errors(at)
    assert at.title and at.title[0].value.startswith(title.split(" /")[0].split(" a ")[0])


def test_the_landing_page_is_the_assessment():
    at = open_page()
    no_exception(at)
    assert at.title[0].value.startswith("Assess")


# ------------------------------------------------------------------ explore

def test_a_provision_shows_its_verbatim_text_links_recitals_and_qa():
    at = open_page("explore_page.py")
    at.text_input(key="explore_goto").input("art. 53 (1) (a)").run()
    no_exception(at)
    assert at.subheader[0].value == "Article 53(1)(a)"
    laid_out = "\n".join(h.value for h in at.get("html"))  # the text as EUR-Lex lays it out (ui.provision_text)
    assert "draw up and keep up-to-date the technical documentation of the model" in laid_out
    text = markdown(at)
    assert "[Annex XI](explore?provision=Annex+XI)" in text
    assert "**Cited by**" in text
    assert at.query_params["provision"] in ("Article 53(1)(a)", ["Article 53(1)(a)"])  # a shareable URL


def test_an_article_lists_its_parts_and_recitals():
    at = open_page("explore_page.py")
    no_exception(at)
    assert at.subheader[0].value == "Article 53 — Obligations for providers of general-purpose AI models"
    assert at.selectbox(key="explore_part").options[0] == "Article 53(1)"
    recitals = [e.label for e in at.expander]  # the recitals of the article and of each of its parts
    assert "Recital 101 — on Article 53(1)(a), Article 53(1)(b), Article 53(6)" in recitals
    assert "Recital 112 — on Article 53" not in recitals and "Recital 112" in recitals
    at.selectbox(key="explore_part").select("Article 53(2)").run()
    assert at.subheader[0].value == "Article 53(2)"


def test_an_unknown_citation_is_one_line_naming_the_nearest_and_the_page_goes_on():
    at = open_page("explore_page.py")
    at.text_input(key="explore_goto").input("Article 999").run()
    no_exception(at)
    assert errors(at) == ["citation 'Article 999' names no provision of Regulation (EU) 2024/1689; "
                          "did you mean 'Article 99'?"]
    assert at.subheader[0].value.startswith("Article 53")  # the previous provision stays


def test_chapters_annexes_and_recitals_can_be_browsed():
    at = open_page("explore_page.py")
    at.selectbox(key="explore_top").select("Chapter V — GENERAL-PURPOSE AI MODELS").run()
    no_exception(at)
    assert at.subheader[0].value == "Chapter V — GENERAL-PURPOSE AI MODELS"
    labels = [b.label for b in at.button]
    assert "Chapter V, Section 2 — Obligations for providers of general-purpose AI models" in labels
    at.selectbox(key="explore_top").select(at.selectbox(key="explore_top").options[-1]).run()
    assert at.subheader[0].value == "Recital 180"


def _explore(citation: str, day=None) -> AppTest:
    at = open_page("explore_page.py")
    if day is not None:
        at.date_input(key="explore_as_of").set_value(day).run()
    at.text_input(key="explore_goto").input(citation).run()
    no_exception(at)
    return at


def test_explore_shows_the_version_in_force_with_its_badge_earlier_text_and_diff():
    """Today Article 56(6) is the text Regulation (EU) 2026/1744 put in its place."""
    at = _explore("Article 56(6)")
    text = markdown(at)
    laid_out = "\n".join(h.value for h in at.get("html"))  # the text in force, as EUR-Lex lays it out
    assert "replaced by Regulation (EU) 2026/1744, Article 1, point (21), from 27 July 2026" in text
    assert "The Commission shall publish its assessment of the adequacy of the codes of practice." in laid_out
    assert "by way of an implementing act" in text  # the earlier text
    assert "<del" in text and "<ins" in text  # the highlighted diff
    notices = [i.value for i in at.info]
    assert sum("documentation version" in n for n in notices) == 2  # the provision's, and the "What changed" tab's
    assert any("documentation version with no legal effect" in n and "Regulation (EU) 2026/1744" in n
               and "Regulation (EU) 2024/1689" in n for n in notices), notices


def test_explore_on_a_date_before_the_amendment_shows_the_oj_text_without_the_notice():
    import datetime

    at = _explore("Article 56(6)", datetime.date(2026, 7, 26))
    text = markdown(at)
    laid_out = "\n".join(h.value for h in at.get("html"))
    assert "That implementing act shall be adopted" in laid_out
    assert "The Commission shall publish its assessment" not in text + laid_out
    # the notice stands on the "What changed" tab only, not on the provision's OJ text
    assert sum("documentation version" in i.value for i in at.info) == 1
    assert "replaced by Regulation (EU) 2026/1744, Article 1, point (21), from 27 July 2026" in text  # to come


def test_explore_says_in_one_line_when_a_provision_is_not_in_force_on_the_date():
    import datetime

    at = _explore("Article 4a", datetime.date(2026, 1, 1))
    assert errors(at) == ["Article 4a is not in force on 2026-01-01: it is in force from 2026-07-27 (inserted by "
                          "Regulation (EU) 2026/1744, Article 1, point (6))"]


def test_what_changed_lists_the_amendments_chapter_v_first():
    at = open_page("explore_page.py")
    chapter = at.selectbox(key="changes_chapter")
    assert chapter.value.startswith("Chapter V — ") and chapter.options[0] == chapter.value
    assert chapter.options[-1] == "All chapters and annexes"
    assert "Article 56(6)" in markdown(at) and "Article 75(1)" not in markdown(at)
    at.selectbox(key="changes_chapter").select("All chapters and annexes").run()
    no_exception(at)
    lines = [m.value for m in at.markdown if " by Regulation (EU) 2026/1744, Article 1, point (" in m.value
             and m.value.startswith("**")]
    assert len(lines) == 88


def test_full_text_search_finds_the_compute_threshold():
    at = open_page("explore_page.py")
    at.text_input(key="explore_search").input("10^25").run()
    no_exception(at)
    assert "[Article 51(2)](explore?provision=Article+51%282%29)" in markdown(at)


def test_the_glossary_shows_where_chapter_v_uses_a_term():
    at = open_page("explore_page.py")
    at.selectbox(key="explore_term").select("general-purpose AI model").run()
    no_exception(at)
    text = markdown(at)
    assert "[Article 3(63)](explore?provision=Article+3%2863%29)" in text
    assert "Used in Chapter V: [Article 51(1)]" in text


# ------------------------------------------------------------------ canned queries

def test_a_canned_query_without_parameters_runs_and_offers_downloads():
    at = open_page("queries_page.py")
    no_exception(at)
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) > 0
    assert at.code and "SELECT" in at.code[0].value


@pytest.mark.parametrize("query", [q for q in canned.catalogue() if not any(p.required for p in q.params)],
                         ids=lambda q: q.name)
def test_every_canned_query_without_required_parameters_runs_on_selection(query):
    at = open_page("queries_page.py")
    at.selectbox(key="queries_pick").select(query.title).run()
    no_exception(at)
    assert not errors(at) and len(at.dataframe) == 1


def test_a_canned_query_with_a_parameter_links_to_provisions():
    at = open_page("queries_page.py")
    at.selectbox(key="queries_pick").select("Full-text search over the provisions").run()
    at.text_input(key="queries-search-provisions-text").input("10^25")
    at.button[0].click().run()
    no_exception(at)
    frame = at.dataframe[0].value
    assert list(frame["citation"]) == ["explore?provision=Article+51%282%29"]
    assert frame["provision"][0] == "explore?provision=Article+51%282%29"


def test_a_bad_parameter_is_one_line():
    at = open_page("queries_page.py")
    at.selectbox(key="queries_pick").select("What a provision cites").run()
    at.text_input(key="queries-provisions-cited-by-article").input("Article 999")
    at.button[0].click().run()
    no_exception(at)
    assert len(errors(at)) == 1 and "Article 999" in errors(at)[0]


# ------------------------------------------------------------------ SPARQL editor

def run_sparql(text: str) -> AppTest:
    at = open_page("sparql_page.py")
    at.text_area(key="sparql_text").input(text)
    at.button[0].click().run()
    no_exception(at)
    return at


@pytest.mark.parametrize("example", [p.read_text(encoding="utf-8").split("\n", 1)[0].removeprefix("# title:").strip()
                                     for p in sorted(EXAMPLES_DIR.glob("*.rq"))])
def test_every_example_query_runs(example):
    at = open_page("sparql_page.py")
    at.selectbox(key="sparql_example").select(example).run()
    at.button[0].click().run()
    no_exception(at)
    assert not errors(at) and (len(at.dataframe) == 1 or [m.value for m in at.metric] == ["yes"])


def test_the_first_example_query_runs():
    at = open_page("sparql_page.py")
    at.button[0].click().run()
    no_exception(at)
    assert not errors(at)
    assert "Obligations for providers of general-purpose AI models" in list(at.dataframe[0].value["title"])


@pytest.mark.parametrize("query, message", [
    ("DELETE WHERE { ?s ?p ?o }", "DELETE at line 1, column 1 is refused: queries are read-only"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT at line 1, column 1 is refused"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE at line 1"),
    ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", "FROM <http://example.org/g> at line 1"),
    ("SELECT * WHERE { ?s ?p }", "SPARQL syntax error at line 1, column"),
])
def test_refused_and_broken_queries_are_one_line(query, message):
    at = run_sparql(query)
    assert len(errors(at)) == 1 and errors(at)[0].startswith(message), errors(at)
    assert not at.dataframe
    assert at.text_area(key="sparql_text").value == query  # the editor keeps the text to fix


def test_a_query_past_the_time_limit_is_stopped_with_one_line():
    at = open_page("sparql_page.py")
    at.text_area(key="sparql_text").input("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    at.number_input(key="sparql_timeout").set_value(1.0)
    at.button[0].click().run()
    no_exception(at)
    assert errors(at) == ["query stopped: it ran past the time limit of 1 s; narrow it down or raise the limit"]


def test_an_ask_query_answers_yes_or_no():
    at = run_sparql("PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
                    "ASK { <http://data.europa.eu/eli/reg/2024/1689/art_55/par_1/oj> eli:cites ?x }")
    assert [m.value for m in at.metric] == ["yes"]


# ------------------------------------------------------------------ about

def test_about_names_the_version_of_the_act_licences_and_disclaimer():
    at = open_page("about_page.py")
    no_exception(at)
    text = markdown(at)
    assert "OJ L, 2024/1689, 12.7.2024" in text
    provenance = "\n".join(h.value for h in at.get("html"))  # data/sources/PROVENANCE.md, as HTML that fits
    assert "2011/833/EU" in provenance and "CC BY 4.0" in provenance
    assert any("Not legal advice" in w.value for w in at.warning)


# ------------------------------------------------------------------ assess

FRONTIER = ["Article 52(1)", *[f"Article 53(1)({p})" for p in "abcd"], "Article 53(3)", "Article 54(1)",
            "Article 54(2)", "Article 54(3)", *[f"Article 54(3)({p})" for p in "abcd"], "Article 54(5)",
            *[f"Article 55(1)({p})" for p in "abcd"]]


def fill_form(at: AppTest, name: str = "Frontier-1", flop: str = "3.8e25", country: str = "US — United States",
              modalities=("text",), placed: str = "yes") -> AppTest:
    at.text_input(key="f-name").input(name)
    at.text_input(key="f-training_compute_flop").input(flop)
    at.multiselect(key="f-modalities").set_value(list(modalities))
    at.selectbox(key="f-provider_country").select(country)
    at.radio(key="f-placed_on_eu_market").set_value(placed)
    return at


def submit(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Assess").click().run()
    no_exception(at)
    return at


def obligations_shown(at: AppTest) -> list[str]:
    links = list(at.dataframe[0].value["provision"])
    return [link.split("=", 1)[1].replace("+", " ").replace("%28", "(").replace("%29", ")") for link in links]


def test_a_frontier_model_from_the_us_has_the_obligations_of_articles_52_to_55():
    at = submit(fill_form(open_page()))
    assert not errors(at)
    assert [(m.label, m.value) for m in at.metric] == [("Within the scope of Chapter V", "yes"),
                                                     ("General-purpose AI model", "yes"),
                                                     ("With systemic risk", "yes")]
    assert obligations_shown(at) == FRONTIER
    expanders = [e.label for e in at.expander]
    assert "Article 53(1)(a) — technical documentation (Annex XI)" in expanders
    text = markdown(at)
    assert "> draw up and keep up-to-date the technical documentation of the model" in text  # verbatim
    assert "`training_compute_flop = 3.8 × 10^25 > 10^25 FLOP`" in text  # the reason, fact by fact
    assert "up to 3 % of worldwide annual turnover or EUR 15 000 000, whichever is higher" in text
    assert at.selectbox(key="assess_explain").options[0].startswith("Article 52(1)")
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Checklist (Markdown)", "Record (JSON, for gpai-kg dossier --check)", "Report (PDF)",
                      "Report (HTML)", "Report (Markdown)", "JSON", "Turtle"]


def test_the_documentation_checklist_can_be_ticked():
    at = submit(fill_form(open_page()))
    boxes = {c.key: c for c in at.checkbox if c.key and c.key.startswith("doc-")}
    assert "doc-annex-xi-section-2-point-1" in boxes  # a model with systemic risk: Annex XI, Section 2
    assert "doc-annex-xi-section-1-point-2-d" in boxes and "doc-article-52-1" in boxes and "doc-article-54-1" in boxes
    assert boxes["doc-annex-xi-section-1-point-2-d"].label.startswith("Annex XI, Section 1, point 2(d) — ")
    boxes["doc-annex-xi-section-1-point-2-d"].check().run()
    no_exception(at)
    assert at.checkbox(key="doc-annex-xi-section-1-point-2-d").value is True
    assert any("Documentation under Article 53(1)(a), for the AI Office" in e.label for e in at.expander)


def test_a_small_model_from_the_eu_has_no_obligation():
    at = submit(fill_form(open_page(), name="Tiny", flop="1e20", country="FR — France"))
    assert not errors(at)
    assert [m.value for m in at.metric] == ["no", "no", "no"]
    assert not at.dataframe
    assert "No obligation of Chapter V attaches to the model's provider." in markdown(at)
    assert "Documentation to prepare (0)" in [s.value for s in at.subheader]


@pytest.mark.parametrize("flop, message", [
    ("-5", "training_compute_flop must not be negative, got -5"),
    ("lots", "training_compute_flop must be a number of floating-point operations (FLOP), got 'lots'"),
])
def test_an_impossible_value_in_the_form_is_one_line(flop, message):
    at = submit(fill_form(open_page(), flop=flop))
    assert errors(at) == [message]
    assert not at.dataframe
    at.text_input(key="f-training_compute_flop").input("3.8e25")  # the form keeps working
    submit(at)
    assert not errors(at) and obligations_shown(at) == FRONTIER


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.radio(key="assess_mode").set_value("Upload a description").run()
    at.file_uploader(key="assess_upload").set_value((name, content, "application/octet-stream")).run()
    no_exception(at)
    return at


def test_an_uploaded_json_description_is_assessed():
    model = {"name": "Frontier-1", "training_compute_flop": 3.8e25, "modalities": ["text"],
             "provider_country": "US", "placed_on_eu_market": True}
    at = upload(open_page(), "frontier.json", json.dumps(model).encode())
    assert not errors(at)
    assert obligations_shown(at) == FRONTIER


def test_an_uploaded_yaml_description_is_assessed():
    at = upload(open_page(), "model.yaml", b"name: Imagen-ish\ntraining_compute_flop: 2e24\n"
                                          b"modalities: [image]\nprovider_country: FR\n")
    assert not errors(at)
    assert [m.value for m in at.metric] == ["yes", "yes", "no"]
    assert "Article 54(1)" not in obligations_shown(at)  # established in the Union


@pytest.mark.parametrize("name, content, message", [
    ("model.json", b"{not json", "model.json: not valid JSON: Expecting property name enclosed in double quotes"),
    ("model.json", b'{"name": "X", "training_compute": 1}',
     "model.json: unknown key 'training_compute' — did you mean 'training_compute_flop'?"),
    ("model.yaml", b"name: [unclosed", "model.yaml: not valid YAML"),
])
def test_a_malformed_upload_is_one_line_and_the_app_goes_on(name, content, message):
    at = upload(open_page(), name, content)
    assert len(errors(at)) == 1 and errors(at)[0].startswith(message), errors(at)
    at.radio(key="assess_mode").set_value("Fill in the form").run()  # the rest of the app keeps working
    submit(fill_form(at))
    assert not errors(at) and obligations_shown(at) == FRONTIER


# ------------------------------------------------------------------ screen

def test_an_uploaded_registry_is_screened_row_by_row():
    at = open_page("screen_page.py")
    at.radio(key="screen_source").set_value("Upload a CSV").run()
    at.file_uploader(key="screen_upload").set_value((
        "registry.csv", b"name,training_compute_flop,modalities,provider_country\n"
                        b"Big,3e25,text,US\nBroken,abc,text,FR\nUnknown,,text,DE\n", "text/csv")).run()
    at.button(key="screen_run").click().run()
    no_exception(at)
    assert not errors(at)
    frame = at.dataframe[0].value
    assert list(frame["verdict"]) == ["GPAI with systemic risk", "invalid row", "undetermined"]
    assert frame["error"][1].startswith("training_compute_flop must be a number")


def test_a_csv_of_unknown_columns_is_one_line():
    at = open_page("screen_page.py")
    at.radio(key="screen_source").set_value("Upload a CSV").run()
    at.file_uploader(key="screen_upload").set_value(("other.csv", b"foo,bar\n1,2\n", "text/csv")).run()
    at.button(key="screen_run").click().run()
    no_exception(at)
    assert errors(at) == ["other.csv: neither Epoch AI's columns (Model, Training compute (FLOP), ...) nor the "
                          "input contract's (name, training_compute_flop, ...)"]


def test_the_bundled_epoch_registry_is_screened_with_filters():
    at = open_page("screen_page.py")
    at.button(key="screen_run").click().run(timeout=300)
    no_exception(at)
    summary = {m.label: int(m.value) for m in at.metric}
    assert summary["models"] == 924 and summary["systemic risk"] >= 10
    frame = at.dataframe[0].value
    assert len(frame) == 924 and "GPT-4.5" in set(frame["name"])
    at.multiselect[0].set_value(["GPAI with systemic risk"]).run()
    assert set(at.dataframe[0].value["verdict"]) == {"GPAI with systemic risk"}
