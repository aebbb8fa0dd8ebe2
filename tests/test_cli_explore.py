"""The ``stats`` and ``show`` commands: their JSON contracts and their errors."""

import json
import subprocess
import sys


def gpai_kg(*args):
    return subprocess.run([sys.executable, "-m", "gpai_kg", *args], capture_output=True, text=True)


def test_stats_json_has_the_contract_keys_as_integers():
    run = gpai_kg("stats", "--format", "json", "--as-of", "2026-07-26")  # the OJ text, before 2026/1744
    assert run.returncode == 0, run.stderr
    stats = json.loads(run.stdout)
    for key in ("articles", "recitals", "annexes", "paragraphs", "points", "definitions",
                "cross_references", "triples"):
        assert isinstance(stats[key], int), key
    assert (stats["articles"], stats["recitals"], stats["annexes"]) == (113, 180, 13)
    assert stats["paragraphs"] == 500 and stats["definitions"] == 68
    assert stats["points"] > 600 and stats["cross_references"] > 1000 and stats["triples"] > 15000


def test_stats_counts_the_version_in_force_today_by_default():
    stats = json.loads(gpai_kg("stats", "--format", "json").stdout)
    assert (stats["articles"], stats["recitals"], stats["annexes"]) == (119, 180, 14)
    assert stats["version"]["expression"] == "http://data.europa.eu/eli/reg/2024/1689/2026-07-27/eng"
    assert [(v["in_force_from"], v["articles"], v["annexes"]) for v in stats["versions"]] == [
        ("2024-08-01", 113, 13), ("2026-07-27", 119, 14)]


def test_stats_text_is_a_table():
    run = gpai_kg("stats", "--format", "text", "--as-of", "2025-01-01")
    assert run.returncode == 0 and "articles" in run.stdout and "113" in run.stdout


def test_show_json_contract_for_a_point():
    run = gpai_kg("show", "Art. 53(1)(a)", "--format", "json")
    assert run.returncode == 0, run.stderr
    info = json.loads(run.stdout)
    assert info["citation"] == "Article 53(1)(a)"
    assert info["iri"] == "http://data.europa.eu/eli/reg/2024/1689/art_53/par_1/pnt_a/oj"
    assert info["text"].startswith("draw up and keep up-to-date the technical documentation of the model")
    assert info["parent"] == "Article 53(1)"
    assert info["parts"] == []
    assert "Annex XI" in info["cites"]
    assert "Article 53(2)" in info["cited_by"]
    assert info["url"].endswith("#053.001")
    for key in ("title", "cites", "cited_by"):
        assert key in info


def test_show_article_has_title_whole_text_and_parts():
    info = json.loads(gpai_kg("show", "article 51", "--format", "json").stdout)
    assert info["title"] == ("Classification of general-purpose AI models as general-purpose AI models "
                             "with systemic risk")
    assert info["parts"] == ["Article 51(1)", "Article 51(2)", "Article 51(3)"]
    assert "greater than 10^25." in info["text"] and info["text"].startswith("1. A general-purpose AI model")
    assert info["parent"] == "Chapter V, Section 1"
    assert "Annex XIII" in info["cites"]


def test_show_recital_lists_what_it_explains_through_the_table():
    info = json.loads(gpai_kg("show", "Article 53(2)", "--format", "json").stdout)
    assert "Recital 102" in info["explained_by"]


def test_show_unknown_citation_is_one_line_with_a_suggestion_and_exit_2():
    run = gpai_kg("show", "Article 53(1)(e)")
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0
    assert "Article 53(1)(e)" in run.stderr and "did you mean 'Article 53(1)'" in run.stderr
    assert "Traceback" not in run.stderr


def test_show_nonsense_is_one_line_exit_2():
    run = gpai_kg("show", "the GDPR")
    assert run.returncode == 2 and "Traceback" not in run.stderr and run.stderr.count("\n") == 1


def test_show_text_format_prints_text_and_links():
    run = gpai_kg("show", "Recital 97")
    assert run.returncode == 0
    assert "The notion of general-purpose AI models" in run.stdout and "rct_97" in run.stdout
