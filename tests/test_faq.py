"""The AI Office Q&A (data/sources/faq/gpai-faq.txt) read into entries and RDF."""

import re

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from gpai_kg import paths
from gpai_kg.citations import parse_citation, to_iri
from gpai_kg.errors import UserError
from gpai_kg.namespaces import GKG, GPAI
from gpai_kg.sources.faq import FAQ_SOURCE, QAEntry, faq_graph, parse_faq

XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")

FAQ = paths.SOURCES_DIR / "faq" / "gpai-faq.txt"
RECITAL_97 = paths.SOURCES_DIR / "faq" / "recital-97.txt"

#: The questions of the file, in order, counted by hand: 13 — three "####"
#: headings, four "##" headings and six plain one-line paragraphs ending in "?".
EXPECTED = [
    ("why-do-we-need-rules-for-general-purpose-ai-models",
     "Why do we need rules for general-purpose AI models?"),
    ("what-are-general-purpose-ai-models",
     "What are general-purpose AI models?"),
    ("what-are-general-purpose-ai-models-with-systemic-risk",
     "What are general-purpose AI models with systemic risk?"),
    ("what-is-a-provider-of-a-general-purpose-ai-model",
     "What is a provider of a general-purpose AI model?"),
    ("what-are-the-obligations-for-providers-of-general-purpose-ai-models",
     "What are the obligations for providers of general-purpose AI models?"),
    ("if-someone-open-sources-a-model-do-they-have-to-comply-with-the-obligations-"
     "for-providers-of-general-purpose-ai-models",
     "If someone open-sources a model, do they have to comply with the obligations for "
     "providers of general-purpose AI models?"),
    ("do-the-obligations-for-providers-of-general-purpose-ai-models-apply-in-the-"
     "research-development-phase",
     "Do the obligations for providers of general-purpose AI models apply in the "
     "Research & Development phase?"),
    ("if-someone-fine-tunes-or-otherwise-modifies-a-model-do-they-have-to-comply-with-"
     "the-obligations-for-providers-of-generalpurpose-ai-models",
     "If someone fine-tunes or otherwise modifies a model, do they have to comply with the "
     "obligations for providers of generalpurpose AI models?"),
    ("what-is-not-part-of-the-code-of-practice",
     "What is not part of the Code of Practice?"),
    ("how-does-the-code-of-practice-take-into-account-the-needs-of-start-ups",
     "How does the Code of Practice take into account the needs of start-ups?"),
    ("what-are-the-legal-effects-of-the-code-of-practice",
     "What are the legal effects of the Code of Practice?"),
    ("how-will-the-code-of-practice-be-reviewed-and-updated",
     "How will the Code of Practice be reviewed and updated?"),
    ("which-enforcement-powers-does-the-ai-office-have",
     "Which enforcement powers does the AI Office have?"),
]


@pytest.fixture(scope="module")
def entries():
    return parse_faq(FAQ)


@pytest.fixture(scope="module")
def by_slug(entries):
    return {e.slug: e for e in entries}


# ------------------------------------------------------------------ a stand-in
# The build injects the cross-reference finder; this test-only stand-in maps
# "Article 53(1)(a)", "Articles 53 and 55", "Recital 97", "Recitals 102 and 103",
# "Annex XIII" to IRIs by guessing the kind of each bracket (Article 3's are
# points; other numbers paragraphs; letters points), without checking existence.

_ART_OR_RCT = re.compile(
    r"\b(Article|Recital)s?\s+(\d+(?:\s*\(\w+\))*(?:\s*(?:,|and)\s*\d+(?:\s*\(\w+\))*)*)")
_ANNEX = re.compile(r"\bAnnex\s+([IVXL]+)\b")


def find_refs(text: str) -> list[str]:
    iris = []
    for m in _ART_OR_RCT.finditer(text):
        for part in re.split(r"\s*(?:,|and)\s*", m.group(2)):
            steps = parse_citation(f"{m.group(1)} {part}").steps
            path = tuple(
                (("pnt" if steps[0] == ("art", "3") or not label.isdigit() else "par")
                 if kind == "?" else kind, label)
                for kind, label in steps)
            iris.append(to_iri(path))
    iris += [to_iri((("anx", m.group(1)),)) for m in _ANNEX.finditer(text)]
    return iris


def _iri(tail: str) -> URIRef:
    return URIRef("http://data.europa.eu/eli/reg/2024/1689/" + tail + "/oj")


# ------------------------------------------------------------------ the entries

def test_the_file_has_thirteen_questions_in_order(entries):
    assert [(e.slug, e.question) for e in entries] == EXPECTED


def test_questions_as_headings_and_as_plain_lines_are_both_found(by_slug):
    assert by_slug["what-is-not-part-of-the-code-of-practice"].question == \
        "What is not part of the Code of Practice?"
    assert by_slug["what-are-the-obligations-for-providers-of-general-purpose-ai-models"].question == \
        "What are the obligations for providers of general-purpose AI models?"
    assert by_slug["which-enforcement-powers-does-the-ai-office-have"].question == \
        "Which enforcement powers does the AI Office have?"


def test_section_headings_are_not_questions(entries):
    assert all(e.section == "General FAQ" for e in entries)
    assert not any("General FAQ" in e.question for e in entries)
    assert not any(e.question.startswith(("#", "*")) or "**" in e.question for e in entries)


def test_answer_starts_with_the_files_first_sentence(by_slug):
    answer = by_slug["what-are-general-purpose-ai-models"].answer
    assert answer.startswith(
        'The AI Act defines a general-purpose AI model as "an AI model, including where such an '
        "AI model is trained with a large amount of data using self-supervision at scale, that "
        "displays significant generality and is capable of competently performing a wide range "
        "of distinct tasks regardless of the way the model is placed on the market and that can "
        'be integrated into a variety of downstream systems or applications" (Article 3(63)).')
    assert answer.endswith("addressing this and other questions.")
    assert "Recital 99 adds that" in answer


def test_answers_are_verbatim_with_the_files_typos(by_slug):
    assert by_slug["why-do-we-need-rules-for-general-purpose-ai-models"].answer.startswith(
        "Al promises huge benefits to our economy and society. General-purpose Al models")
    # a sentence the file splits over two paragraphs is rejoined by one space
    assert "by performing model evaluations, keeping track of, documenting" in \
        by_slug["what-are-the-obligations-for-providers-of-general-purpose-ai-models"].answer


def test_answers_end_before_the_next_question(by_slug):
    answer = by_slug["what-is-a-provider-of-a-general-purpose-ai-model"].answer
    assert answer.endswith("(Recital 97).")
    assert "obligations for providers of general-purpose AI models apply from" not in answer
    assert by_slug["which-enforcement-powers-does-the-ai-office-have"].answer.endswith(
        "15 million Euros, whichever is higher (Article 101).")


def test_no_answer_is_empty_and_text_is_whitespace_normalised(entries):
    for e in entries:
        assert e.answer and e.question
        assert e.answer == " ".join(e.answer.split())
        assert "#" not in e.answer


def test_slugs_are_unique_kebab_case(entries):
    slugs = [e.slug for e in entries]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)


def test_entries_are_frozen(entries):
    with pytest.raises(AttributeError):
        entries[0].answer = "changed"  # type: ignore[misc]
    assert isinstance(entries[0], QAEntry)


def test_recital_97_file_is_not_a_qa():
    with pytest.raises(UserError, match="recital-97.txt:1"):
        parse_faq(RECITAL_97)


# -------------------------------------------------------------------- the graph

@pytest.fixture(scope="module")
def graph(entries):
    return faq_graph(entries, find_refs)


def test_one_qa_node_per_entry_with_its_words_and_position(graph, entries):
    assert len(set(graph.subjects(RDF.type, GPAI.QAEntry))) == len(entries)
    for order, e in enumerate(entries, start=1):
        node = GKG[f"qa/{e.slug}"]
        assert (node, RDF.type, GPAI.QAEntry) in graph
        assert list(graph.objects(node, RDFS.label)) == [Literal(e.question, lang="en")]
        assert list(graph.objects(node, GPAI.question)) == [Literal(e.question, lang="en")]
        assert list(graph.objects(node, GPAI.answer)) == [Literal(e.answer, lang="en")]
        assert list(graph.objects(node, DCTERMS.source)) == [FAQ_SOURCE]
        assert list(graph.objects(node, GPAI.order)) == [Literal(order, datatype=XSD_INTEGER)]
    assert FAQ_SOURCE == URIRef("https://w3id.org/gpai-kg/id/source/ai-office-gpai-faq")


def test_discusses_every_provision_the_entry_cites(graph):
    node = GKG["qa/what-are-general-purpose-ai-models"]
    assert set(graph.objects(node, GPAI.discusses)) == {
        _iri("art_3/pnt_63"), _iri("rct_98"), _iri("rct_99")}
    node = GKG["qa/if-someone-open-sources-a-model-do-they-have-to-comply-with-the-obligations-"
               "for-providers-of-general-purpose-ai-models"]
    assert {_iri("art_53/par_2"), _iri("rct_102"), _iri("rct_103"), _iri("rct_112"),
            _iri("art_53"), _iri("art_55"), _iri("art_53/par_1/pnt_a")} <= \
        set(graph.objects(node, GPAI.discusses))
    node = GKG["qa/what-are-general-purpose-ai-models-with-systemic-risk"]
    assert _iri("anx_XIII") in set(graph.objects(node, GPAI.discusses))
    assert not list(graph.objects(GKG["qa/how-will-the-code-of-practice-be-reviewed-and-updated"],
                                  GPAI.discusses))


def test_the_question_is_searched_for_citations_too(entries):
    seen = []
    faq_graph(entries[:1], lambda text: seen.append(text) or [])
    assert seen == [entries[0].question, entries[0].answer]


def test_graph_has_no_blank_nodes_and_serialises_deterministically(graph, entries):
    assert not any(isinstance(t, BNode) for triple in graph for t in triple)
    again = faq_graph(entries, lambda text: list(reversed(find_refs(text))))
    assert graph.serialize(format="turtle") == again.serialize(format="turtle")
